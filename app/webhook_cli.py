"""`flask webhooks run`: the worker that tells organisations' webhooks of changes."""

from __future__ import annotations

import signal
import time
from types import FrameType

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.services import webhooks


@click.group("webhooks", help="Deliver webhooks.")
def webhooks_cli() -> None:
    """Group of the webhook commands."""


@webhooks_cli.command("run")
@click.option("--once", is_flag=True, help="Do one round (queue, send what is due) and stop.")
@with_appcontext
def run_command(once: bool) -> None:
    """Queue a delivery for each change a webhook follows, and send what is due, until stopped.

    Several workers may run at once (one per instance, say): each history entry is queued once,
    and each delivery is sent by one worker at a time. A worker killed at any moment loses
    nothing: what it had not committed is queued or sent again by the next round.
    """
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    poll = float(current_app.config["WEBHOOK_POLL_SECONDS"])
    while True:
        counts = webhooks.work_once()
        if counts["entries"] or counts["delivered"] or counts["refused"]:
            click.echo(
                f"webhooks: {counts['entries']} history entries read, "
                f"{counts['delivered']} delivered, {counts['refused']} refused (retried later)",
            )
        if once or stopping:
            return
        deadline = time.monotonic() + poll
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, poll))
        if stopping:
            return


def init_app(app: Flask) -> None:
    """Register the webhook commands."""
    app.cli.add_command(webhooks_cli)
