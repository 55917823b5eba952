# The README's two commands. Everything else is a detail of these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve install install-dev format compare-splink

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

## make run: set up on a fresh machine and serve the demo on SQLite.
# The demo's customers are mostly Brazilian: national numbers like (11) 98765-4321 read as BR.
run: export ZDUSERS_DEFAULT_PHONE_REGION ?= BR
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@# The task worker (imports run in the background) lives as long as the web server.
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make serve: production-style — needs DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL in the environment.
WORKERS ?= 3
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn zdusers.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

## make test: the whole suite (honours DATABASE_URL), then lint.
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make compare-splink: Splink, in its own .venv-splink, on FEBRL4 and on the committed set (dev only).
SPLINK_VENV := .venv-splink
$(SPLINK_VENV)/bin/python: devtools/splink_compare/requirements.txt
	$(PYTHON) -m venv $(SPLINK_VENV)
	$(SPLINK_VENV)/bin/pip install --quiet --upgrade pip
	$(SPLINK_VENV)/bin/pip install --quiet -r devtools/splink_compare/requirements.txt
	touch $@

compare-splink: install-dev $(SPLINK_VENV)/bin/python
	$(BIN)/python manage.py evaluate_matching --export-flat $(SPLINK_VENV)/profiles.csv
	$(SPLINK_VENV)/bin/python devtools/splink_compare/compare.py devtools/matching_eval/febrl4.csv
	$(SPLINK_VENV)/bin/python devtools/splink_compare/compare.py $(SPLINK_VENV)/profiles.csv
