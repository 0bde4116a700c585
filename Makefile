# newsweb: `make run` serves the site, `make test` checks everything.
# Both create the virtual environment on first use and install from constraints.txt.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app newsweb

.PHONY: run test lint typecheck pytest install lock clean bench bench-scale audit

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# newsweb against a bare Flask app serving the same bytes, with wrk (scripts/bench.py).
bench: install
	$(BIN)/python scripts/bench.py

# Every page on the demo, 5,000 and 100,000 stories (scripts/bench_scale.py); SQLite, or
# PostgreSQL scratch databases beside DATABASE_URL when it is set.
bench-scale: install
	$(BIN)/python scripts/bench_scale.py $(if $(DATABASE_URL),--database-url '$(DATABASE_URL)')

# Lighthouse (mobile, pinned, installed with npm outside the repository) on the front page,
# a story, a tool, a persona and a search of a scratch demo site (scripts/audit.py).
audit: install
	$(BIN)/python scripts/audit.py

test: lint typecheck pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

# Re-pin every installed package after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable --exclude newsweb > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
