"""gunicorn settings for `make run` and production (`gunicorn -c gunicorn.conf.py wsgi:app`)."""

import gc
import multiprocessing
import os
import time
from typing import Any

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Two workers per core plus one, unless WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
# On SIGHUP or SIGTERM, workers finish the requests they hold (up to this long).
graceful_timeout = 20
keepalive = 5
# One JSON object per line for access and errors, with the request id (newsweb/web/logs.py).
logger_class = "newsweb.web.logs.GunicornLogger"
accesslog = "-"
errorlog = "-"
# Behind a TLS proxy: which addresses may set X-Forwarded-* (see README, Deploying).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The master imports the app once and workers are forked from it, ready in milliseconds.
# Without this, on SIGHUP gunicorn stops the old workers at once while every new one
# imports the app on its own (~2 s of CPU each, all at the same time): nobody answers for
# seconds. Deferring imports cannot close that gap: on the 2-core machine this was measured
# on, importing Flask and SQLAlchemy alone takes longer than the 0.5 s a worker may take to
# start (scripts/startup.py). The price: SIGHUP still re-reads this file and replaces the
# workers, but they run the code the master loaded. New code needs a new master:
# `systemctl restart`, or USR2 then TERM to the old master (README, Deploying).
# Workers also share the master's memory pages until they write to them, which is why
# modules that serving uses are imported eagerly, in the master, and not on first use.
preload_app = True


def when_ready(server: Any) -> None:
    """Compile every template and freeze the master's objects, before any worker is forked.

    Jinja compiles a template on first use and keeps it in its process; done here once,
    every worker (those a SIGHUP forks too) starts with them all instead of compiling
    them on its first requests, all workers at the same moment after a reload.
    """
    if server.cfg.preload_app:
        environment = server.app.wsgi().jinja_env
        for name in environment.list_templates():
            environment.get_template(name)
        # The garbage collector would otherwise walk (and so copy) every object a worker
        # inherited, on a full collection and again when the worker exits: measured here,
        # an old worker spent ~0.8 s of CPU exiting after a SIGHUP, beside the new ones.
        gc.freeze()


def post_fork(_server: Any, worker: Any) -> None:
    """Note when this worker was forked, for the start-up time `post_worker_init` logs."""
    worker.forked_at = time.monotonic()


def post_worker_init(worker: Any) -> None:
    """Drop database connections copied from the master, and log how long start-up took.

    The master opens none today; but if it ever did, two processes would talk over one
    socket. `close=False` leaves the master's own connections alone.
    """
    app = worker.wsgi
    # `make bench` runs its bare Flask floor under these same settings: it has no database.
    if (sqlalchemy := app.extensions.get("sqlalchemy")) is not None:
        with app.app_context():
            for engine in sqlalchemy.engines.values():
                engine.dispose(close=False)
    elapsed = (time.monotonic() - worker.forked_at) * 1000
    worker.log.info("Worker %s ready %.0f ms after fork", worker.pid, elapsed)
