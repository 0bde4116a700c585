"""Print the plan of every statement a page runs, for docs/performance.md and for reading.

Usage (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/explain_page.py DATABASE_URL PATH [PATH ...]
    .venv/bin/python scripts/explain_page.py sqlite:////tmp/x/large.sqlite3 /sitemap.xml
    .venv/bin/python scripts/explain_page.py \
        postgresql+psycopg://postgres@127.0.0.1/newsweb_bench_100k '/search?q=model'

SQLite gets EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (ANALYZE, BUFFERS) (which runs the
statement, in a transaction rolled back afterwards). `make bench-scale --keep` leaves
databases of 100,000 stories to point it at. The newsroom's version read, which every
anonymous page makes first, is left out.
"""

import sys
import tempfile
from pathlib import Path

from scaletool.explain import plans
from scaletool.timing import build_app, close_app


def main(argv: list[str]) -> int:
    """Print each page's statements and plans; 2 on a usage error."""
    if len(argv) < 2:
        print(__doc__)
        return 2
    url, paths = argv[0], argv[1:]
    with tempfile.TemporaryDirectory(prefix="newsweb-explain-") as outbox:
        app = build_app(url, Path(outbox))
        try:
            for path in paths:
                print(f"## {path}\n")
                for statement, lines in plans(app, path):
                    print("    " + " ".join(statement.split())[:400])
                    print("\n".join("      " + line for line in lines) + "\n")
        finally:
            close_app(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
