"""A bounded load test for newsweb: mixed traffic against gunicorn, a reload midway, no lost writes.

Usage (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/load.py                       # SQLite in a temporary directory
    .venv/bin/python scripts/load.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/newsweb_load
    .venv/bin/python scripts/load.py --workers 4 --threads 16 --seconds 60

What it does, in order:

1. Prepares a fresh database: a new SQLite file in a temporary directory, or the
   PostgreSQL database named by ``--database-url``, whose ``public`` schema is DROPPED
   and recreated (so point it at a database made for this, e.g. ``newsweb_load``; only
   databases on this machine are accepted). Then ``flask db upgrade``, ``flask demo
   load`` and ``--members`` accounts made with ``flask users create --password-stdin``.
2. Starts ``gunicorn -c gunicorn.conf.py wsgi:app`` with ``--workers`` workers on a free
   127.0.0.1 port (its control socket turned off) and waits until ``/`` answers.
3. Runs ``--threads`` client threads for ``--seconds`` seconds, over loopback only and
   never more than ``--max-requests`` requests (plus the few a loop turn has in flight):

   * readers browse anonymously: the front page and its htmx "Load more", story pages
     found there and their htmx take toggles, "Expand all" and bookmark sidebar, the
     tool directory and tool pages, the panel and persona pages with "More takes";
   * members (half the threads) sign in first, each to accounts no other thread uses,
     with a cookie jar per account, then save and remove tool bookmarks the way htmx
     does (``HX-Request: true``, the CSRF token taken from the page), check every tool
     page shows what they last saved, read their bookmarks, and now and then sign in
     again from a "new device" (a fresh cookie jar);
   * two threads (fewer when there are few threads) also browse, and try a wrong
     password every two seconds or so once members are in. Failed sign-ins are throttled
     per client address (5 a minute) and every thread shares 127.0.0.1, so 429s are
     expected, for members' sign-ins too; they are counted apart and are not errors.
4. Halfway through, sends SIGHUP to the gunicorn master (a graceful reload) and times
   it from gunicorn's log: new workers booted, old workers gone.
5. Stops gunicorn, then checks "zero lost writes": the final state of every bookmark a
   member changed (saved or not, as its last acknowledged request left it) must be
   what the database holds, read with newsweb's own models.
6. Prints a report: requests, status codes and latency (p50/p95/p99) per kind, 429s,
   throughput, the reload (with the p99 of requests in flight during it beside the
   steady p99 of all others), what gunicorn logged, and the lost-write check.

It exits 1 when anything went wrong: a 5xx, a connection error, a lost write, a
response that was not what the request should get (a 4xx other than the expected 422s
and 429s, or a bookmark button in the wrong state), a page showing a member something
other than what they last saved, or a traceback in gunicorn's log. The temporary
directory (database, gunicorn's log) is then kept and its path printed; ``--keep``
keeps it in any case. A PostgreSQL database is left as the run leaves it.
"""

import sys

from loadtest.cli import main

if __name__ == "__main__":
    sys.exit(main())
