# Warmline: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONFIG ?= examples/bakery.json
DATA_DIR ?= var
STAGE ?= dev

# Find a Python 3.12 (the Lambda runtime we target). pyenv's `python3.12` shim only runs with
# PYENV_VERSION set, so look at pyenv's real interpreters first, then the PATH.
PYTHON312 := $(shell for c in $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12 $$(command -v python3.12); do \
    if [ -x "$$c" ] && "$$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then echo "$$c"; break; fi; done)

.PHONY: run test lint typecheck unit demo eval bench package deploy clean venv

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  if [ -z "$(PYTHON312)" ]; then echo "Warmline needs Python 3.12 (the AWS Lambda runtime). Install it (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $(PYTHON312)"; $(PYTHON312) -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/warmline serve --config $(CONFIG) --data-dir $(DATA_DIR)

test: $(STAMP)
	@test -d ../shared/fixtures || { echo "The shared fixtures are missing: expected ../shared/fixtures beside this checkout." >&2; exit 1; }
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/python -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

demo: $(STAMP)
	$(VENV)/bin/warmline demo --config $(CONFIG) --data-dir $(DATA_DIR)

eval: $(STAMP)
	$(PY) bench/eval_sentiment.py

bench: $(STAMP)
	$(PY) bench/intake.py

clean:
	rm -rf $(VENV) build var .pytest_cache .mypy_cache .ruff_cache
