"""Time the same paths in two revisions of the catalogue, side by side:
``.venv/bin/python -m bench.revisions --before REV [--size N] PATH...``.

Each revision runs in a process of its own (a ``git worktree`` of ``--before``, and this
checkout), both on the same synthetic catalogue of ``--size`` solutions (made or reused by
``bench/dataset.py``) and answering in-process through the Flask test client. The requests
alternate between the two, path by path and round by round, so both see the same machine
noise. Prints each path's median in both, the ratio, and the size of the answers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench.dataset import PROJECT_ROOT, env_for, prepare, rebuild

DATA_ROOT = Path("/tmp/gjenbrukskatalogen-bench")

SERVE = """
import json, sys, time
sys.path.insert(0, ".")
from app import create_app
client = create_app().test_client()
for line in sys.stdin:
    started = time.perf_counter()
    response = client.get(line.strip())
    elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps([response.status_code, elapsed, len(response.get_data())]), flush=True)
"""


def _checkout(revision: str) -> Path:
    """Return a worktree of ``revision`` (made once and kept beside the data)."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folder = DATA_ROOT / f"revision-{sha}"
    if not folder.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), sha],
            cwd=PROJECT_ROOT,
            capture_output=True,
            check=True,
        )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.revisions", description=__doc__)
    parser.add_argument("--before", required=True, help="the revision to compare with")
    parser.add_argument("--size", type=int, default=10000, help="solutions in the catalogue")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    folder = DATA_ROOT / f"size-{args.size}-seed-{args.seed}"
    prepare(folder, args.size, args.seed)
    if not (folder / "index").exists():
        rebuild(folder)
    sides = {"before": _checkout(args.before), "after": PROJECT_ROOT}
    servers = {
        name: subprocess.Popen(
            [sys.executable, "-c", SERVE],
            cwd=checkout,
            env=env_for(folder),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, checkout in sides.items()
    }
    times: dict[tuple[str, str], list[float]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for _ in range(args.rounds + 1):  # the first round warms both up and is not counted
        for path in args.paths:
            for name, server in servers.items():
                assert server.stdin is not None
                assert server.stdout is not None
                server.stdin.write(path + "\n")
                server.stdin.flush()
                status, elapsed, size = json.loads(server.stdout.readline())
                if status != 200:
                    raise SystemExit(f"{name} answered {status} to {path}")
                times.setdefault((name, path), []).append(elapsed)
                sizes[(name, path)] = size
    for server in servers.values():
        server.terminate()
    print(f"{args.size} solutions, {args.rounds} rounds, before = {args.before}")
    print(
        f"{'path':42} {'before ms':>10} {'after ms':>10} {'ratio':>6} {'bytes before':>13} "
        f"{'after':>9}"
    )
    for path in args.paths:
        before = statistics.median(times[("before", path)][1:])
        after = statistics.median(times[("after", path)][1:])
        print(
            f"{path:42} {before:10.1f} {after:10.1f} {after / before:6.3f} "
            f"{sizes[('before', path)]:13,} {sizes[('after', path)]:9,}"
        )


if __name__ == "__main__":
    main()
