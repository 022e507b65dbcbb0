"""The framework floor: the smallest Flask app, served by the same gunicorn as the catalogue.

``gunicorn bench.floor_app:app`` answers ``GET /ping`` with a tiny JSON body. Its latency and
throughput are what Flask and gunicorn cost on their own on this machine, so every endpoint
figure of the catalogue is printed beside it.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping() -> dict[str, bool]:
    """Answer with a constant JSON object."""
    return {"ok": True}
