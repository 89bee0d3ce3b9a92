# heimplan: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`: one per CPU; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

.PHONY: run test install install-dev migrate load lint check messages bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --no-input

load: migrate
	$(PY) manage.py load_heim
	$(PY) manage.py republish

run: load
	$(PY) manage.py create_demo_editor --base-url http://$(HOST):$(PORT)
	@echo "heimplan is served at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

check: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: the accessibility checks (axe-core, vnu) will be skipped"; fi

test: install-dev node_modules/.installed
	$(PY) -m pytest -q -n $(TEST_WORKERS)

# Benchmarks (not tests): the public web pages, the Markdown renderer on crafted input,
# and the PDF where bench/pdf.py exists.
bench: install-dev
	$(PY) bench/web.py
	$(PY) bench/markdown.py
	@if [ -f bench/pdf.py ]; then $(PY) bench/pdf.py; fi

messages: install-dev
	$(PY) manage.py makemessages -l nb -l nn --ignore=.venv --ignore=node_modules --ignore=static
	$(PY) manage.py compilemessages -l nb -l nn --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
