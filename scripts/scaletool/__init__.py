"""The scale benchmark scripts/bench_scale.py runs (`make bench-scale`), one module per concern.

- `cli`: the command line and the run from start to end (`main`);
- `databases`: the two newsrooms' databases (SQLite files or PostgreSQL scratch databases),
  migrated and given the demo newsroom as `make run` does, and one signed-in member;
- `generator`: the 100,000-story newsroom, written in bulk;
- `routes`: a concrete request for every reader, member and API route in `app.url_map`;
- `timing`: each request timed through the Flask test client with its page cache emptied;
- `report`: the ratios, the flags and the printed tables.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # flask runs from the repository root
