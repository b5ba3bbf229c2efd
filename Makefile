# Relance — the commands the README names. `make run` and `make test` work on a fresh
# Debian machine with python3 (+ venv) and make; .ci/run installs the rest.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test check bench install dev clean

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## run: create .venv if missing, install, open the trainer
run: install
	$(VENV)/bin/relance

## test: install dev tools, run `make check`, then the test suite
test: dev
	$(MAKE) --no-print-directory check
	$(PY) -m pytest

## check: formatting, lint, types, import contracts
check: dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## bench: run every benchmark under bench/ and print its figures
bench: dev
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
