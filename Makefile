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
PROVINCE ?= ningxia

VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py

# One seed province per run (SPEC §11): its adcode for PLATFORM_PROVINCE and its own database.
# Ningxia keeps the database and .state/database_url that `make setup` chooses, as before;
# another province gets a database named after it and its URL in .state/database_url.<province>.
PROVINCES := ningxia henan jiangsu zhejiang
ADCODE_ningxia := 640000
ADCODE_henan := 410000
ADCODE_jiangsu := 320000
ADCODE_zhejiang := 330000
PROVINCE_ADCODE := $(ADCODE_$(PROVINCE))
ifeq ($(PROVINCE_ADCODE),)
$(error PROVINCE=$(PROVINCE) is not a seed province: use one of $(PROVINCES) (default ningxia))
endif
ifeq ($(PROVINCE),ningxia)
URL_FILE := .state/database_url
PROVINCE_DB := true
else
URL_FILE := .state/database_url.$(PROVINCE)
PROVINCE_DB := DB_NAME=$(PROVINCE) DB_URL_FILE=$(URL_FILE) bash scripts/ensure_db.sh
endif
# Every command of a run sees the province and its database (and nothing else does).
RUN_ENV = env PLATFORM_PROVINCE=$(PROVINCE_ADCODE) DATABASE_URL="$$(cat $(URL_FILE))"

.PHONY: help setup db clean-db prepare run dev test lint bench replica

help:
	@echo "make run        set up, migrate, load regions + demo data, serve with granian on $(BIND_ADDR):$(PORT)"
	@echo "                beside the task worker (manage.py tasks_worker: mail, SMS, daily jobs)"
	@echo "                PROVINCE=ningxia|henan|jiangsu|zhejiang (default ningxia): that province, its own database"
	@echo "make dev        the same with Django's runserver (and the worker)"
	@echo "make test       set up, check the import layers, then run pytest (extra arguments: PYTEST_ARGS='-k map -x')"
	@echo "make lint       ruff check + import layers (lint-imports) + makemigrations --check"
	@echo "make bench      the benchmarks of README \"Benchmarks\" (BENCH_ARGS for the map, DASHBOARD_BENCH_ARGS for the dashboards)"
	@echo "make setup      Debian packages, .venv, node_modules, database (idempotent)"
	@echo "make db         only choose/start the database and write .state/database_url"
	@echo "make clean-db   stop and remove the private cluster in .pgdata, if any"
	@echo "make replica    start a streaming replica of the database on port 5434 (REPLICA=stop|status|url|clean)"

setup:
	@bash scripts/setup.sh

db:
	@bash scripts/ensure_db.sh
	@$(PROVINCE_DB)

clean-db:
	@bash scripts/ensure_db.sh --clean

# Database schema, reference data, demo data and static files: everything `run`/`dev` serve.
prepare: setup
	@$(PROVINCE_DB)
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) geodata_import_regions --commit
	$(RUN_ENV) $(MANAGE) accounts_zone_authorities --commit
	$(RUN_ENV) $(MANAGE) demo_data --commit
	$(RUN_ENV) $(MANAGE) collectstatic --noinput

# The web server and the task worker side by side; stopping either (or Ctrl-C) stops both.
# granian rather than gunicorn: the same WSGI app for about a quarter less server CPU per map
# search and more requests per second on this machine (`make bench` measures both; README
# "Benchmarks").
run: prepare
	exec $(RUN_ENV) bash scripts/serve.sh $(VENV)/bin/granian --interface wsgi --host $(BIND_ADDR) --port $(PORT) --workers $(WORKERS) --blocking-threads 4 --no-ws --access-log mapsite.wsgi:application

dev: prepare
	exec $(RUN_ENV) bash scripts/serve.sh $(MANAGE) runserver $(BIND_ADDR):$(PORT)

# The import contract (pyproject.toml, [tool.importlinter]) runs first: a layering break fails
# in seconds, before the six-minute suite.
test: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run

# Benchmarks (README "Benchmarks"): the map search in its own databases (<name>_bench_<size>)
# beside the textbook DRF endpoint, the raw round trip and pgbench (from postgresql-15); the
# stored contract PDF and its first render; the export writers; the dashboards (data endpoints,
# map documents, pages) in their own database (<name>_dashbench). Each prints its figures
# beside the issue's targets.
#   BENCH_ARGS (map only)="--sizes 200000,1000000 --reuse --seconds 15"
#   DASHBOARD_BENCH_ARGS="--sizes 1000000 --reuse" (default 100,000 uses: ≈ 3 min; the issue's
#   10⁶ takes 5–20 min to generate on this machine, --reuse keeps it for the next run;
#   --only document measures only the cases whose name holds the word)
DASHBOARD_BENCH_ARGS ?= --sizes 100000 --requests 100
bench: setup
	$(PYTHON) benchmarks/bench_map.py $(BENCH_ARGS)
	$(PYTHON) benchmarks/bench_pdf.py
	$(PYTHON) benchmarks/bench_exports.py
	$(PYTHON) benchmarks/bench_dashboard.py $(DASHBOARD_BENCH_ARGS)

# A local PostgreSQL streaming replica (pg_basebackup into .state/replica), for the read-replica
# routing: DATABASE_REPLICA_URLS="$$(bash scripts/replica.sh url)" make run. REPLICA=stop|status|url|clean.
REPLICA ?= start
replica:
	@bash scripts/replica.sh $(REPLICA)
