"""The load test that scripts/load.py runs, one module per concern.

- `cli`: the command line and the run from start to end (`main`);
- `database`: the database prepared before the run and checked for lost writes after it;
- `server`: gunicorn started, reloaded with SIGHUP, stopped, and its log read;
- `client`: one measured browser (cookie jar, no redirects followed);
- `stats`: what every request measured, shared by the client threads;
- `pages`: reading newsweb's pages (links, CSRF token, bookmark buttons) and the catalog;
- `traffic`: what readers, members and wrong-password threads do, step by step;
- `driver`: the threads started, SIGHUP sent halfway, the threads joined;
- `report`: the printed report and what makes the run fail.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # gunicorn and flask run from the repository root
