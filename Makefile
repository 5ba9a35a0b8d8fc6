# Two commands for a new user (README): `make run` and `make test`.
# Each sets everything up first: a virtual environment in .venv with this package and its
# dependencies installed from PyPI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
OUT    ?= build/ofsted-kg.ttl

.PHONY: run build test test-slow validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

## run: build the graph from seeds/ into $(OUT) (the SPARQL endpoint will serve it: issue 3)
run: build

build: $(STAMP)
	$(BIN)/ofsted-kg build --out $(OUT)

## test: the quick test suite (everything not marked slow)
test: $(STAMP)
	$(BIN)/pytest

## test-slow: the long checks (determinism across processes, ...), also run by CI
test-slow: $(STAMP)
	$(BIN)/pytest -m slow

validate: $(STAMP)
	$(BIN)/ofsted-kg validate $(OUT)

clean:
	rm -rf $(VENV) build .pytest_cache
