# The two commands of the README: `make run` and `make test`.
# The Python the virtualenv is made with: CPython 3.12 or newer where the machine has one (on
# the PATH, or installed by pyenv), else python3. CPython 3.11.7 frees an object's inline
# attribute values while it still reads them (valgrind: use after free in dictresize); a worker
# serving the kommune pages of a 10,000-solution catalogue died of it (SIGSEGV) within a few
# requests, where 3.12 served the same requests to the end (docs/PERFORMANCE.md).
NEWER_PYTHONS := python3.12 python3.13 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3)
PYTHON ?= $(firstword $(foreach p,$(NEWER_PYTHONS),$(shell $(p) -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null | grep -q True && echo $(p))) python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: run test lint init install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
	  echo "WARNING: $$($(BIN)/python --version) is older than 3.12; under load its workers may crash (see the Makefile)." >&2
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Create or migrate the database, load the example data once, bring the search index up to date.
init: install
	$(BIN)/flask --app wsgi catalogue init

## Set up everything and serve the catalogue on http://$(HOST):$(PORT) with gunicorn, with the
## webhook worker beside it (stopped with the server).
run: init
	$(BIN)/flask --app wsgi webhooks run & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS) wsgi:app

## Set up everything and run the whole test suite (TEST_DATABASE_URL=postgresql://… for PostgreSQL).
## Two workers by default (each gets its own database); PYTEST_ARGS="-p no:xdist" runs serially.
PYTEST_ARGS ?= -n 2
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check app tests bench wsgi.py gunicorn.conf.py
	$(BIN)/ruff format --check app tests bench wsgi.py gunicorn.conf.py

clean:
	rm -rf $(VENV) instance search_index/gen-* search_index/build-* search_index/current
