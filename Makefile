# Two commands set everything up on a fresh Debian machine with Python 3.11:
#   make run   - install, migrate, load the demo once, serve on http://127.0.0.1:$(PORT)
#   make test  - install test needs (Debian's Chromium included) and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
INSTANCE := instance
CHROMIUM := /usr/bin/chromium
export PARS_INSTANCE_PATH := $(CURDIR)/$(INSTANCE)

.PHONY: run test test-postgres install install-test secret-key chromium lint bench soak load screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e ".[postgres]" 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import pars, flask, sqlmodel" && touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]" 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import pytest, playwright" && touch $@

install: $(VENV)/.installed

secret-key: $(VENV)/.installed
	@$(BIN)/python -c "from pars.core.config import ensure_secret_key_file as e; e('$(INSTANCE)')"

run: install secret-key
	$(BIN)/flask --app app init-db
	@# The demo loads on the first start only; later starts just print its logins.
	@if [ ! -f $(INSTANCE)/.demo-loaded ]; then \
	  $(BIN)/flask --app app demo && touch $(INSTANCE)/.demo-loaded; \
	else $(BIN)/flask --app app demo --logins-only; fi
	@echo "Serving on http://$(HOST):$(PORT), background worker beside it  (Ctrl+C stops both)"
	@# The worker runs large uploads and the daily tasks; it ends with the server, however that ends.
	@$(BIN)/flask --app app worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) --threads=8 app:app

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "Browser tests need Debian's Chromium: run 'sudo apt-get install chromium' and try again."; exit 1; fi; \
	fi

install-test: $(VENV)/.installed-test chromium

# Both cores: the tests share nothing (their own databases, ports and temporary folders).
PYTEST := $(BIN)/python -m pytest -n 2

test: install-test lint
	$(PYTEST)

# The whole suite again on a throwaway PostgreSQL cluster (scripts/with-postgres).
test-postgres: install-test
	scripts/with-postgres $(PYTEST)

# Lint and formatting are part of `make test`, so CI fails on either.
lint: install-test
	$(BIN)/ruff check pars tests bench app.py
	$(BIN)/ruff format --check pars tests bench app.py

# Benchmarks print their workload, target and figures; the first run seeds bench/out/ (~20 s).
bench: install
	$(BIN)/python -m bench

# Long runs kept out of `make test`: the fuzzer with 20,000 examples, then the load test.
soak: install-test
	HYPOTHESIS_PROFILE=soak $(BIN)/python -m pytest -q tests/system/test_fuzz.py tests/system/test_fuzz_typed.py
	$(MAKE) load

# 16 clients against gunicorn (2 workers, SQLite) for 60 s; prints rps, p50/p95/p99, errors.
load: install
	$(BIN)/python -m bench.load

# The README's screenshots (docs/*.png), taken in Chromium from demo activities.
screenshots: install-test chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache
