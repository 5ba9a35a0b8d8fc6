# Two commands for a new user (README): `make run` and `make test`.
# Each sets everything up first: a virtual environment in .venv with this package and its
# dependencies installed from PyPI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
OUT    ?= build/ofsted-kg.ttl

.PHONY: run build serve test test-slow validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

## run: build the graph from seeds/ into $(OUT), then serve it on http://127.0.0.1:8000/
run: build serve

build: $(STAMP)
	$(BIN)/ofsted-kg build --out $(OUT)

## serve: serve the built graph (SPARQL endpoint, saved queries, dumps, pages)
serve: $(STAMP)
	@test -f $(OUT) || $(BIN)/ofsted-kg build --out $(OUT)
	$(BIN)/ofsted-kg serve --graph $(OUT)

## bench: the engine comparison behind the choice of pyoxigraph
bench: $(STAMP)
	@test -f $(OUT) || $(BIN)/ofsted-kg build --out $(OUT)
	$(BIN)/python bench/engines.py $(OUT)

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
