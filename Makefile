# Crewdesk: `make run` (web + worker + beat on SQLite, no server needed) and `make test` (lint + the whole suite).
# DATABASE_URL / REDIS_URL from the environment switch both to PostgreSQL / Redis (CI: .ci/run).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements.stamp

.PHONY: help run test fuzz lint format migrate bench coverage clean distclean

help:
	@echo "make run      web (runserver :8000) + Celery worker with embedded beat, SQLite under var/"
	@echo "make test     ruff, import contracts, pytest (integration tests with REDIS_URL; browser tests with Chromium)"
	@echo "make fuzz     Schemathesis on the four OpenAPI documents against a seeded gunicorn (run by .ci/run)"
	@echo "make lint     ruff check + ruff format --check + import contracts"
	@echo "make format   ruff format + ruff check --fix"
	@echo "make migrate  manage.py migrate"
	@echo "make bench    bench/bench_reads.py (gunicorn + wrk: /me and the shift list vs ping, query counts)"
	@echo "make coverage pytest with line and branch coverage of the project's code (report in the terminal)"
	@echo "make clean    remove var/ (local database, broker, SMS log), staticfiles/ and caches"
	@echo "make distclean  make clean, then remove .venv"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed since the last install.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(STAMP)
	DEBUG=1 SMS_BACKEND=$${SMS_BACKEND:-console} bin/run-dev

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
		echo "make test: Chromium found, the browser tests (tests/browser, screenshots in var/screenshots/) run."; \
	else \
		echo "make test: NO BROWSER: Chromium is not installed, so the browser tests are SKIPPED."; \
		echo "make test: install it with: apt-get install -y chromium chromium-driver (.ci/run does)."; \
	fi
	$(BIN)/pytest

# Schemathesis on all four documents and black-box scenarios, against a seeded gunicorn (tests/live; minutes).
fuzz: $(STAMP)
	$(BIN)/pytest -m live tests/live

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate

coverage: $(STAMP)
	$(BIN)/pytest --cov=accounts --cov=api --cov=core --cov=messaging --cov=inbox --cov=workforce --cov=automations --cov=config \
		--cov-branch --cov-report=term:skip-covered

bench: $(STAMP)
	$(BIN)/python bench/bench_reads.py

clean:
	rm -rf var/ staticfiles/ .pytest_cache/ .ruff_cache/
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
