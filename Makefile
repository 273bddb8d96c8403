# The two commands of the README: `make run` (demo on the embedded default) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format services testdb bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Demo ready: open http://$(HOST):$(PORT)/ (the login page lists the demo accounts)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Tests run against real PostgreSQL and Redis on 127.0.0.1 (scripts/services.sh starts them if needed).
test: install
	bash scripts/services.sh
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python manage.py benchmark

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .test-media
