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

.PHONY: serve test build bench bench-site capturas fidelity deps lock clean

serve: deps
	$(BIN)/python -m k8sdocs.serve --dev-addr $(ADDR)

test: deps
	$(BIN)/python -m pytest

build: deps
	$(BIN)/python -m mkdocs build --strict --site-dir site

bench: deps
	$(BIN)/python bench/scheduler.py

# Site benchmarks (bench/README.md): build cost of the model, serve rebuild time, Lighthouse.
# Screenshots of every page at 1280 px and 390 px (capturas/), from a fresh strict build.
capturas: build
	$(BIN)/python bench/capturas.py

bench-site: deps
	$(BIN)/python bench/build.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/lighthouse.py

# The fidelity runner over the project's copy of upstream's cases: tests/fidelity holds scheduler/, kube-proxy/ and
# functions/ (upstream Go helpers: defaulting, validation, deployment util, pod ranking, QoS...).
fidelity: deps
	$(BIN)/python -m k8sdocs.fidelity tests/fidelity tests/scheduler/cases tests/scheduler/upstream_cases tests/kube_proxy/cases

deps: $(PY_STAMP) $(NPM_STAMP)

# Regenerate the hashed locks after editing requirements.in or pyproject.toml's dependencies (README,
# "Dependencias"). The lock tool is pinned and runs in its own throwaway venv, not in the project's.
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := .venv-lock
PIP_COMPILE_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q $(PIP_TOOLS)
	$(LOCK_VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --output-file requirements.lock requirements.in
	$(LOCK_VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --constraint requirements.lock --output-file requirements-runtime.lock pyproject.toml

$(PY_STAMP): requirements.in requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "k8sdocs necesita Python >= 3.11 (prueba: make PYTHON=python3.11 ...)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "k8sdocs necesita npm (apt-get install npm) para instalar axe-core (pruebas de accesibilidad)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules site .stamps .cache
