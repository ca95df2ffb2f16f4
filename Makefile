# Blueprints — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo $(VENV)/bin/uv)
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run test lint format migrate seed worker beat fuzz bench clean

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/bin/uv: | $(PY)
	$(PY) -m pip install --quiet uv

# Locked dependencies (uv.lock); --inexact keeps the uv we installed into the venv.
# `install` is what the site needs to run; `install-dev` adds the test and benchmark tools.
install: $(PY) $(if $(findstring $(VENV),$(UV)),$(VENV)/bin/uv)
	$(UV) sync --frozen --inexact --no-dev --python $(PY)

install-dev: $(PY) $(if $(findstring $(VENV),$(UV)),$(VENV)/bin/uv)
	$(UV) sync --frozen --inexact --python $(PY)

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# Serves http://127.0.0.1:8000 on SQLite with Celery eager: nothing else to start.
run: migrate
	$(MANAGE) seed_demo --url http://$(HOST):$(PORT)
	$(MANAGE) runserver $(HOST):$(PORT)

# Lint, migration check, then the whole suite against a throwaway PostgreSQL
# and Redis that the test harness starts and stops itself.
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs REDIS_URL (and the same DATABASE_URL as the web process).
worker: install
	$(VENV)/bin/celery -A project worker --loglevel INFO

beat: install
	$(VENV)/bin/celery -A project beat --loglevel INFO

# Longer schemathesis run than the one in `make test` (which uses 10 examples per operation):
# every check and phase, stateful included, as there.
fuzz: install-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(VENV)/bin/pytest project/tests/test_api_fuzz.py

bench: install-dev
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
