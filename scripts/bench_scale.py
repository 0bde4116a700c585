"""`make bench-scale`: every page on the demo newsroom and on 100,000 stories, side by side.

Usage (from the repository root, with the project's virtual environment)::

    make bench-scale
    make bench-scale DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/newsweb
    .venv/bin/python scripts/bench_scale.py --stories 2000 --runs 5 --only search

What it does, in order:

1. Builds three newsrooms, each migrated and given the demo as `make run` does (``flask
   --app newsweb db upgrade``, ``flask --app newsweb demo load``) plus one member with a
   few bookmarks: the demo; a full one that adds ``--full-stories`` (default 5,000), so
   every listing, feed and digest week is as full as at scale; and a large one that adds
   ``--stories`` (default 100,000) published stories over three years, four takes each
   (one per persona), a fifth as many members and ten bookmarks per story, written in
   bulk (scaletool/generator.py). Each then gets the upkeep a running newsroom gets
   (search index merged on SQLite, VACUUM ANALYZE on PostgreSQL). On SQLite they are
   files in a temporary directory; with ``DATABASE_URL`` (PostgreSQL) scratch databases
   beside it, ``<name>_bench_demo``, ``<name>_bench_full`` and ``<name>_bench_100k``.
2. Lists every GET route of the app (but static files, the editor and /healthz) from
   ``app.url_map`` and builds requests for each: the page, its htmx fragments, signed in
   where it is a member's page (scaletool/routes.py). A route it has no request for
   stops the run, naming it.
3. Times each request ``--runs`` times (default 20) through the Flask test client on a
   fresh app per newsroom, the newsrooms taking turns run by run, with the page cache
   emptied before every request, counting SQL statements (scaletool/timing.py).
4. Prints one table: p50 and p95 in the demo and at scale, p50 in the full newsroom, the
   ratio of the p50s to the demo's (the issue's measure) and to the full newsroom's (what
   the archive's size alone costs), statement counts, response sizes; every row over 1.3x
   by either ratio, with a changed statement count or a failed answer is flagged with
   ``!``; then the verdict.

``--keep`` leaves the databases in place (and prints where); ``--only TEXT`` times only
the requests whose name contains TEXT. Exits 0 whatever it measured, 1 when the run
itself failed.
"""

import sys

from scaletool.cli import main

if __name__ == "__main__":
    sys.exit(main())
