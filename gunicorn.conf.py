"""gunicorn's settings for heimplan; gunicorn reads this file from the working directory.

Command-line options override it, e.g. ``gunicorn heimplan.wsgi --bind 127.0.0.1:8001``.

Runaway work is bounded twice:

- ``HEIMPLAN_STATEMENT_TIMEOUT_MS`` (default 10 000): PostgreSQL cancels a web request's
  query after that long and the page answers 503 (``core/runaway.py``);
- ``timeout`` here (``GUNICORN_TIMEOUT``, default 30 s): a sync worker busy with one
  request for longer (a query without the database timeout, a huge PDF, a loop) is killed
  and replaced by the arbiter, so no request holds a worker for longer. Keep it above the
  statement timeout, so that a slow query gets its clear 503 before the worker is killed.
"""

import os

wsgi_app = "heimplan.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Seconds a worker may spend on one request before it is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Seconds a worker gets to finish its request after a restart or a shutdown.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
