"""The benchmark that scripts/bench.py runs (`make bench`), one module per concern.

- `cli`: the command line and the run from start to end (`main`);
- `servers`: the database prepared as `make run` does, gunicorn started and stopped;
- `client`: one plain HTTP request, read whole (capturing pages, signing in, checks);
- `pages`: the pages measured, found on the running site, and their responses captured;
- `floor`: the bare Flask app that serves those captured bytes and nothing more;
- `wrk`: wrk run and its output read;
- `report`: ratios to the floor, the issue-11 targets, and the printed tables.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # gunicorn and flask run from the repository root
