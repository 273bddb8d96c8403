# The two commands of the README: `make run` (demo on the embedded default) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install seed services bench worker beat lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"

# The embedded default: SQLite file, Celery eager, emails printed; portal.settings.local turns DEMO_MODE on.
run: install seed
	@echo ""
	@echo "  Demo ready: open http://$(HOST):$(PORT)/  (the login page lists the demo accounts)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

seed: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

# Tests run against real PostgreSQL and Redis on 127.0.0.1 (scripts/services.sh starts them if needed).
test: install services
	$(BIN)/python -m pytest $(PYTEST_ARGS)

services:
	bash scripts/services.sh

# Speed figures (python -m bench: the benchmark in bench/) on a PostgreSQL database of their own,
# created when missing; it also writes the figures to bench/results.json.
BENCH_DB ?= portal_bench
BENCH_ARGS ?=
BENCH_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
bench: install services
	psql -h 127.0.0.1 -U postgres -qtA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DB)'" \
		| grep -q 1 || psql -h 127.0.0.1 -U postgres -q -d postgres -c "CREATE DATABASE $(BENCH_DB)"
	psql -h 127.0.0.1 -U postgres -q -d $(BENCH_DB) -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_trgm"
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	$(BENCH_ENV) $(BIN)/python -m bench $(BENCH_ARGS)

# With REDIS_URL set, tasks go to Redis and need these two processes (docker-compose runs them too).
worker: install
	$(BIN)/celery -A portal worker --loglevel INFO

beat: install
	$(BIN)/celery -A portal beat --loglevel INFO --schedule $(VENV)/celerybeat-schedule

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .test-media test-artifacts
