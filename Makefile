# backtp: `make run` serves the app on http://127.0.0.1:8000 (`make run PORT=8100 HOST=0.0.0.0` elsewhere),
# `make test` lints and runs every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

# The newest Python >= 3.12 on this machine: on PATH, or installed by pyenv.
find_python = for p in python3.13 python3.12 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; exit 0; }; \
	done; \
	ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V | tail -n 1
PYTHON ?= $(shell $(find_python))

.PHONY: install run serve test lint pytest ci migrations-check screenshots docker-lint clean bench loadtest faulttest fuzz jstest image image-test

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "backtp needs Python 3.12 or newer (python3.13 or python3.12 on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Where `make run` listens. Set on make's command line (`make run PORT=8100`); a HOST or PORT
# in the environment is ignored, as shells and platforms set those for other purposes.
HOST = 127.0.0.1
PORT = 8000

# Beside the web server: the task worker (sends reminders) and the scheduler (enqueues the
# every-minute reminder check). Both stop with the server (Ctrl-C reaches all three).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_catalog
	$(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py crontask --no-heartbeat & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/hadolint Dockerfile

# The suite in two processes (pytest-xdist; each has its own test database, live server
# and Chromium); `make test TEST_WORKERS=0` runs it in one.
TEST_WORKERS = 2

pytest: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

# The session timer's clock and outbox (static/js/timer/) under Node's own test runner.
# The files are listed, not the folder: Node 21+ no longer searches a folder given to --test.
jstest:
	@command -v node >/dev/null 2>&1 || { echo "make jstest needs Node.js 20.19 or newer on PATH (apt-get install nodejs)"; exit 1; }
	node --test tests/js/*.test.mjs

test: lint pytest jstest

# The fuzz tests at length: Hypothesis's "long" profile (tests/conftest.py), 300 examples each.
fuzz: install
	HYPOTHESIS_PROFILE=long $(BIN)/pytest tests/core/test_fuzz.py

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Full-page PNGs of every page at 390 px and 1280 px wide, in screenshots/.
screenshots: install
	BACKTP_SCREENSHOTS=screenshots $(BIN)/pytest tests/browser/test_layout.py

# Times the suggestion engine (real catalogue and 100x), then loads the pages under gunicorn
# with wrk against a fixed-HTML ceiling (a person with 60 journal sessions and one with
# 3,000) and runs Lighthouse (package.json) behind nginx (scripts/bench.py). PostgreSQL at
# RIG_PG_URL, default 127.0.0.1:5432; Redis db 15. Writes docs/benchmarks.md. About 15 minutes.
bench: install
	@for tool in wrk nginx node; do command -v $$tool >/dev/null 2>&1 || { echo "make bench needs $$tool: apt-get install wrk nginx nodejs npm chromium"; exit 1; }; done
	test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_catalog
	@# Both run and write their sections even when one misses a target; then make fails.
	status=0; \
	$(BIN)/python manage.py bench_suggestions || status=1; \
	$(BIN)/python -m scripts.bench || status=1; \
	exit $$status

# Two gunicorn instances behind nginx (deploy/nginx.conf, TLS on 127.0.0.1), one killed with
# SIGKILL mid-run; PostgreSQL at RIG_PG_URL, Redis db 14. Writes docs/loadtest.md. About a minute.
loadtest: install
	$(BIN)/python -m scripts.loadtest

# PostgreSQL stopped for 10 s under load and in two browsers: a throwaway cluster of its
# own on 127.0.0.1:25432 (never the shared one), Redis db 13. Writes docs/faulttest.md.
faulttest: install
	$(BIN)/python -m scripts.faulttest

# The production image from the Dockerfile, with buildah and no Docker daemon (as root, on
# Debian): python:3.13-slim pulled, or a local stand-in from debootstrap when no registry
# answers, cached in /var/cache/backtp-image (scripts/image-build.sh, docs/deploy.md).
image:
	bash scripts/image-build.sh

# Builds the image, then runs it on 127.0.0.1: the web process's first and second start on
# one /data, the worker and the scheduler, the HEALTHCHECK, a read-only /app
# (scripts/image_test.py). About a minute with the base cached.
image-test: image
	$(or $(PYTHON),python3) -m scripts.image_test

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles screenshots .pytest_cache .ruff_cache
