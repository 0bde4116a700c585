"""gunicorn settings for `make run` and production (`gunicorn -c gunicorn.conf.py wsgi:app`)."""

import multiprocessing
import os

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
