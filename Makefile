# Two commands for a newcomer: `make serve` and `make test`. Both install what they need
# (a Python venv with pinned packages, and the npm assets shipped in the site) and are
# idempotent: the stamps below make a second run skip the installs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve test build bench clean deps

deps: $(STAMPS)/python $(STAMPS)/npm

$(STAMPS)/python: requirements.in requirements.lock pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c requirements.lock -r requirements.in
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: deps
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

build: deps
	$(BIN)/mkdocs build --strict

test: deps
	$(BIN)/python -m pytest

bench: deps
	$(BIN)/python bench/scheduler.py

clean:
	rm -rf $(VENV) $(STAMPS) node_modules site
