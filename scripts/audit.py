"""`make audit`: Lighthouse, in mobile mode, on newsweb's front page, a story, a tool, a persona
and a search, printing the four category scores (performance, accessibility, best
practices, SEO) of each page as a table, then each audit that costs a page points.

Usage (from the repository root, with the project's virtual environment)::

    make audit
    .venv/bin/python scripts/audit.py --reports /tmp/lighthouse-reports

What it does, in order:

1. Installs Lighthouse (the version pinned in audittool/lighthouse.py) with npm into
   ``~/.cache/newsweb-audit/lighthouse-<version>`` (``$XDG_CACHE_HOME`` if set), once.
2. Prepares a scratch SQLite database in a temporary directory as `make run` does
   (``flask --app newsweb db upgrade``, ``flask --app newsweb demo load --if-empty``).
3. Starts ``gunicorn --config gunicorn.conf.py wsgi:app`` on a free port, as `make bench`
   does, with the shell's other settings (no REDIS_URL, DATABASE_URL or PORT of its own).
4. Reads the pages from the site's own links (the first story on the front page, the
   first tool and persona of their listings) and runs Lighthouse on each, one at a time,
   with Debian's Chromium (``--chrome`` or ``$CHROME_PATH``, default /usr/bin/chromium).
5. Prints the table, and below it every weighted audit that scored under 100.

Exits 0 whatever the scores, 1 when the run itself failed (npm, the site, Lighthouse), 2
without Chromium. gunicorn is stopped and the temporary directory removed, whatever happens.
"""

import sys

from audittool.cli import main

if __name__ == "__main__":
    sys.exit(main())
