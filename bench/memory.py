"""Peak memory of gunicorn's processes: ``VmHWM`` (peak resident set) from ``/proc``."""

from __future__ import annotations

from pathlib import Path


def children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        # The command name (2nd field) may hold spaces and brackets: parse after its last ')'.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def peak_mb(pid: int) -> float:
    """Return the peak resident memory of ``pid`` in MiB (``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmHWM for process {pid}")


def gunicorn_peaks(master: int) -> dict[str, float | list[float]]:
    """Return the peak memory of each worker of the gunicorn ``master`` and of the master."""
    workers = [peak_mb(pid) for pid in children(master)]
    return {
        "workers_mb": workers,
        "max_worker_mb": max(workers) if workers else float("nan"),
        "master_mb": peak_mb(master),
    }
