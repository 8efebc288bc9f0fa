# Assure: `make demo` runs a synthetic partnership locally, `make test` runs every check.
SHELL := /bin/bash
PYTHON_CMD := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
ASSURE := $(BIN)/assure
STATIC := build/static
GOVUK := node_modules/govuk-frontend/dist/govuk
DEMO_ENV := SECRET_KEY_FILE=var/secret_key HTTPS=0 DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost LOG_FORMAT=text
DEMO_CHILDREN ?= 2000

.PHONY: demo demo-code test install assets migrate demo-data serve lint typecheck bench system-packages clean

demo: $(VENV)/.runtime assets var/secret_key
	$(DEMO_ENV) $(ASSURE) migrate --no-input -v 0
	$(DEMO_ENV) $(ASSURE) collectstatic --no-input -v 0
	$(DEMO_ENV) $(ASSURE) load_demo --children $(DEMO_CHILDREN)
	$(DEMO_ENV) $(ASSURE) serve --bind 127.0.0.1:8000

# The current sign-in code of a demo person: make demo-code WHO=manager
demo-code:
	@$(DEMO_ENV) $(ASSURE) demo-code $(WHO)

test: $(VENV)/.test assets system-packages
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python scripts/lint_views.py
	SECRET_KEY=makemigrations-check $(ASSURE) makemigrations --check --dry-run
	$(BIN)/pytest

install: $(VENV)/.runtime assets

$(VENV)/bin/python:
	$(PYTHON_CMD) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(STATIC)/assure.css
$(STATIC)/assure.css: node_modules/.package-lock.json $(wildcard assets/*)
	mkdir -p $(STATIC)
	npm run --silent build
	cp -r $(GOVUK)/assets/images $(STATIC)/
	cp $(GOVUK)/assets/manifest.json $(GOVUK)/govuk-frontend.min.js $(STATIC)/
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC)/
	cp assets/*.js $(STATIC)/

var/secret_key:
	mkdir -p var
	$(PYTHON_CMD) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# Browser tests need Debian's Chromium; as root we install it, otherwise we say what is missing.
system-packages:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; fi

bench: $(VENV)/.test
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache .mypy_cache .ruff_cache
