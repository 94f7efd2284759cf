# The two commands of the README: `make run` (serve the site on http://127.0.0.1:8000) and
# `make test`. Both start with `make setup`, which installs whatever is missing on a Debian 12
# machine (packages, .venv, node_modules, database) and is quick when nothing changed.
# See docs/SETUP.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PORT ?= 8000
BIND_ADDR ?= 127.0.0.1
WORKERS ?= 3
PYTEST_ARGS ?=

VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py

.PHONY: help setup db clean-db prepare run dev test lint bench

help:
	@echo "make run        set up, migrate, load regions + demo data, serve with gunicorn on $(BIND_ADDR):$(PORT)"
	@echo "make dev        the same with Django's runserver"
	@echo "make test       set up, check the import layers, then run pytest (extra arguments: PYTEST_ARGS='-k map -x')"
	@echo "make lint       ruff check + import layers (lint-imports) + makemigrations --check"
	@echo "make setup      Debian packages, .venv, node_modules, database (idempotent)"
	@echo "make db         only choose/start the database and write .state/database_url"
	@echo "make clean-db   stop and remove the private cluster in .pgdata, if any"

setup:
	@bash scripts/setup.sh

db:
	@bash scripts/ensure_db.sh

clean-db:
	@bash scripts/ensure_db.sh --clean

# Database schema, reference data, demo data and static files: everything `run`/`dev` serve.
prepare: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) geodata_import_regions --commit
	$(MANAGE) demo_data --commit
	$(MANAGE) collectstatic --noinput

run: prepare
	exec $(VENV)/bin/gunicorn mapsite.wsgi -b $(BIND_ADDR):$(PORT) -w $(WORKERS) --worker-class gthread --threads 4 --access-logfile -

dev: prepare
	exec $(MANAGE) runserver $(BIND_ADDR):$(PORT)

# The import contract (pyproject.toml, [tool.importlinter]) runs first: a layering break fails
# in seconds, before the six-minute suite.
test: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run

# Map-search benchmark in its own databases (<name>_bench_<size>); prints the README's figures.
bench: setup
	$(PYTHON) benchmarks/bench_map.py $(BENCH_ARGS)
