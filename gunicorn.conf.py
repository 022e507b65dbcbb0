"""gunicorn settings for `make run` and production (override on the command line or with env)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
# Workers load the app after the fork: each opens its own database connections and its own
# searcher on the index (Whoosh readers must not be shared across processes).
preload_app = False
