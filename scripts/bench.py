"""`make bench`: newsweb's reader pages against a bare Flask app serving the same bytes (the floor).

Usage (from the repository root, with the project's virtual environment)::

    make bench
    .venv/bin/python scripts/bench.py --seconds 30 --profiles defaults

What it does, in order:

1. Prepares a fresh SQLite database in a temporary directory exactly as `make run` does
   (``flask --app newsweb db upgrade``, ``flask --app newsweb demo load --if-empty``), and
   one member account (``flask --app newsweb users create ... --password-stdin``).
2. For each profile, ``defaults`` (`make run` as it is: no REDIS_URL) and ``redis``
   (``REDIS_URL=redis://127.0.0.1:6379/14``, that database flushed before and after),
   starts ``gunicorn --config gunicorn.conf.py wsgi:app`` as `make run` does, with PORT
   set to a free port and every other setting (WEB_CONCURRENCY included) from the shell.
3. Finds the pages on the running site (a story, a tool and a persona from its own links,
   the take fragment the story page's "Read more" requests), signs the member in through
   the real form, and captures newsweb's response to each measured request once.
4. Starts the floor, ``benchtool.floor``: a minimal Flask app that answers each of those
   requests with the captured status, headers and body, under the same
   ``gunicorn --config gunicorn.conf.py`` (same workers, keep-alive, logger, access log).
5. Drives both with ``wrk -t2 -c16 -d<seconds>s --latency`` after a warm-up, page by page,
   newsweb then floor, so both see the same machine: the front page, a story, a tool, a
   persona, a take fragment (``HX-Request: true``), the story signed in (the session
   cookie in ``-H 'Cookie: ...'``) and the story with ``If-None-Match: <its ETag>``
   (checked to answer 304; the report says so when it does not).
6. Prints, per profile, page | req/s | p50 | p99 | floor req/s | ratio, any socket errors
   or responses that were neither 2xx nor 3xx, and each issue-11 target met or NOT met.

The access log stays on, as `make run` has it (JSON lines on stdout), for newsweb and the
floor alike; gunicorn's output goes to a file in the temporary directory, so its cost is the
same on both sides and part of what a real deployment pays. wrk sends no Accept-Encoding,
so pages are measured uncompressed.

Exits 0 whatever was measured (targets missed included), 1 when the run itself failed (a
server that would not start, a page that could not be found, wrk failing), 2 without wrk.
Every process it started is stopped and the temporary directory removed, whatever happens.
"""

import sys

from benchtool.cli import main

if __name__ == "__main__":
    sys.exit(main())
