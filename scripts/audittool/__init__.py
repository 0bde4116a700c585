"""The audit that scripts/audit.py runs (`make audit`), one module per concern.

- `cli`: the command line and the run from start to end (`main`);
- `lighthouse`: Lighthouse installed (pinned, outside the repository), run, its report read;
- `report`: the table of scores, and the audits that keep a score below 100.

The site is prepared and served as `make bench` does (benchtool.servers).
"""
