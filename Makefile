# Newsroom: `make demo` sets up and runs the site with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/newsroom
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: demo test install lint check test-sqlite test-services bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

SANDBOX_PORT ?= 8765
# Waits (up to a minute) until a URL answers at all: `python -c "$$WAIT_FOR" URL`.
define WAIT_FOR
import sys, time, urllib.error, urllib.request
deadline = time.monotonic() + 60
while True:
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(f"{sys.argv[1]} did not answer within a minute")
        time.sleep(0.2)
endef
export WAIT_FOR
# The demo WeChat account lives in the bundled sandbox; these values are sandbox-only, never real secrets.
demo: export WAGTAILADMIN_BASE_URL = http://$(HOST):$(PORT)
demo: export WECHAT_SANDBOX_URL = http://127.0.0.1:$(SANDBOX_PORT)
demo: export WECHAT_SANDBOX_SECRET ?= sandbox-demo-secret
demo: export WECHAT_DEMO_TOKEN ?= sandbox-demo-token
demo: export WECHAT_DEMO_AES_KEY ?= abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
# seed_demo writes the followers' comments the sandbox starts with (it keeps nothing across restarts; A13).
demo: export WECHAT_DEMO_COMMENTS ?= var/demo-sandbox-comments.json
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo "E-mails are written to var/mail/. Starting the site on http://$(HOST):$(PORT)/, then the WeChat sandbox on $$WECHAT_SANDBOX_URL, then the task worker (django-q2, ORM broker) — Ctrl-C stops all three."
	@# The site listens before the sandbox and the worker start: seeded pushes go out as soon as the worker runs,
	@# and WeChat's result events (with the article URLs) must find the callback answering.
	@trap 'kill 0' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT) & \
	$(PY) -c "$$WAIT_FOR" http://$(HOST):$(PORT)/ && \
	{ $(PY) manage.py wechat_sandbox --port $(SANDBOX_PORT) --callback-url http://$(HOST):$(PORT)/wechat/callback/demo/ --comments $$WECHAT_DEMO_COMMENTS & } && \
	$(PY) -c "$$WAIT_FOR" $$WECHAT_SANDBOX_URL/sandbox/accounts && \
	{ $(PY) manage.py qcluster & } && wait

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

# The suite runs in parallel (pytest-xdist): one test process per core, at most 4; TEST_JOBS=0 runs it in one
# process. Each test process has its own database, media directory and Redis key prefix (cms/settings/test.py), named
# by worker and slot, so `make test-sqlite PYTEST_ARGS=--reuse-db` skips the migrations when the databases are kept.
TEST_JOBS ?= $(shell $(PYTHON) -c "import os; print(min(4, len(os.sched_getaffinity(0))))")
PYTEST_PARALLEL = $(if $(filter 0 1,$(TEST_JOBS)),,-n $(TEST_JOBS) --dist worksteal)

test-sqlite: install
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# PostgreSQL + Redis: run when reachable; with CI=true an unreachable service fails the run.
test-services: install
	@if $(PY) tests/services.py "$(PG_URL)" "$(REDIS_TEST_URL)"; then \
		DATABASE_URL="$(PG_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(VENV)/bin/pytest -m "not browser" $(PYTEST_PARALLEL) $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true and PostgreSQL or Redis is unreachable: failing."; exit 1; \
	else \
		echo "PostgreSQL or Redis unreachable: skipped the production-services run."; \
	fi

test: lint check test-sqlite test-services

# Every benchmark in turn (bench/run.py): their tables, then one line per target, `PASS|MISSED <name> <measured>
# <target>`; exits 1 when a target's median is missed. The semester also runs at five times its size (BENCH_FIVE_TIMES=0
# skips that) and on PostgreSQL when it answers on 127.0.0.1:5432; bench/dashboard.py runs when it exists.
bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 media static var .pytest_cache .ruff_cache
