# Two commands for a newcomer (README.md, "Inicio rápido"): `make serve` and `make test`.
# Both install what they need first: a Python venv with the pinned packages (requirements.lock)
# and the npm tools of the tests (axe-core, package-lock.json). They are idempotent:
# each install leaves a stamp INSIDE what it installed, so a second run skips it, a changed lock
# file reinstalls, and deleting .venv/ or node_modules/ reinstalls too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.k8sdocs-installed
NPM_STAMP := node_modules/.k8sdocs-installed
ADDR ?= 127.0.0.1:8000

# Material 9.8 prints an end-of-life banner on every build unless this is set (README, "Dependencias").
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve test build bench bench-site fidelity deps clean

serve: deps
	$(BIN)/python -m mkdocs serve --dev-addr $(ADDR)

test: deps
	$(BIN)/python -m pytest

build: deps
	$(BIN)/python -m mkdocs build --strict --site-dir site

bench: deps
	$(BIN)/python bench/scheduler.py

# Site benchmarks (bench/README.md): build cost of the model, serve rebuild time, Lighthouse.
bench-site: deps
	$(BIN)/python bench/build.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/lighthouse.py

# The fidelity runner over the project's copy of upstream's cases.
fidelity: deps
	$(BIN)/python -m k8sdocs.fidelity tests/fidelity tests/scheduler/cases tests/scheduler/upstream_cases tests/kube_proxy/cases

deps: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): requirements.in requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "k8sdocs necesita Python >= 3.11 (prueba: make PYTHON=python3.11 ...)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c requirements.lock -r requirements.in
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "k8sdocs necesita npm (apt-get install npm) para instalar axe-core (pruebas de accesibilidad)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) node_modules site .stamps
