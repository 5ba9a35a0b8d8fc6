# Two commands for a new user (README): `make run` and `make test`.
# Each sets everything up first: a virtual environment in .venv with this package and its
# dependencies installed from PyPI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
OUT    ?= build/ofsted-kg.ttl
PORT   ?= 8000
SERVE_OPTIONS ?=

CORPUS ?= ../shared/corpus/reports

.PHONY: bench-findings train-findings run build serve wheel lint test test-slow test-browser test-reliability validate bench bench-all england bench-corpus bench-build bench-pdf bench-precision england-checks clean screenshots bench-search vendor-yasgui

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

## run: build the graph from seeds/ into $(OUT), then serve it on http://127.0.0.1:$(PORT)/ (PORT=0: any free port)
run: build serve

build: $(STAMP)
	$(BIN)/ofsted-kg build --out $(OUT)

## serve: serve the built graph (SPARQL endpoint, saved queries, dumps, pages)
serve: $(STAMP)
	@test -f $(OUT) || $(BIN)/ofsted-kg build --out $(OUT)
	$(BIN)/ofsted-kg serve --graph $(OUT) --port $(PORT) $(SERVE_OPTIONS)

## wheel: dist/ofsted_kg-*.whl, with the seed documents and tables (README, "From a wheel")
# setuptools stages the build in build/lib and packs whatever an earlier build left there.
wheel: $(STAMP)
	rm -rf build/lib build/bdist.*
	$(BIN)/python -m pip wheel . --no-deps --quiet --disable-pip-version-check -w dist

## bench: the engine comparison behind the choice of pyoxigraph
bench: $(STAMP)
	@test -f $(OUT) || $(BIN)/ofsted-kg build --out $(OUT)
	$(BIN)/python bench/engines.py $(OUT)

## test: the quick test suite (everything not marked slow)
test: $(STAMP)
	$(BIN)/pytest

## test-slow: the long checks (determinism across processes, ...), also run by CI
test-slow: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/pytest -m slow

## test-browser: the pages in headless Chromium (Playwright + axe-core); needs Debian's chromium
test-browser: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,browser]'
	$(BIN)/pytest -m browser

## screenshots: docs/screenshots/*.png, every page type at desktop and phone width (README, "Pages")
screenshots: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,browser]'
	@test -f $(OUT) || $(BIN)/ofsted-kg build --out $(OUT)
	$(BIN)/python -m tests.browser.screenshots --graph $(OUT) --out docs/screenshots

## bench-search: search on the England graph: one-word queries against a REGEX scan, every council by its name forms
bench-search: $(STAMP)
	@test -f build/england/ofsted-kg.ttl || $(MAKE) england
	$(BIN)/python bench/search.py build/england/ofsted-kg.ttl --json bench/results/search-$$(date +%F).json

## vendor-yasgui: fetch YASGUI's built files again from npm at the pinned version, checked by its sha512
YASGUI_VERSION   := 4.6.2
YASGUI_INTEGRITY := sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
vendor-yasgui:
	rm -rf build/yasgui && mkdir -p build/yasgui
	cd build/yasgui && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) > /dev/null
	test "sha512-$$(openssl dgst -sha512 -binary build/yasgui/zazuko-yasgui-$(YASGUI_VERSION).tgz | base64 -w0)" = "$(YASGUI_INTEGRITY)"
	tar -xzf build/yasgui/zazuko-yasgui-$(YASGUI_VERSION).tgz -C build/yasgui
	cp build/yasgui/package/build/yasgui.min.js build/yasgui/package/build/yasgui.min.css server/static/
	cp build/yasgui/package/package.json server/static/yasgui.package.json

## test-reliability: soak, fuzz and fault tests against real servers (about 4 minutes; CI runs it)
test-reliability: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,reliability]'
	$(BIN)/pytest -m reliability

## lint: ruff (lint and format check) and mypy over the package, as CI runs them
# mypy reads the package as it installs (ofsted_kg.graph, ofsted_kg.server): a link tree of it in build/typecheck.
TYPECHECK := build/typecheck/ofsted_kg
lint: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	$(BIN)/ruff check graph server ofsted_kg
	$(BIN)/ruff format --check graph server ofsted_kg
	rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)
	for part in graph server ontology queries seeds ofsted_kg/__init__.py ofsted_kg/__main__.py ofsted_kg/console.py; do \
	  ln -s $(CURDIR)/$$part $(TYPECHECK)/$$(basename $$part); done
	cd build/typecheck && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p ofsted_kg

## england: build the England graph from the corpus of report PDFs into build/england/
england: $(STAMP)
	$(BIN)/ofsted-kg build --input $(CORPUS) --out build/england/ofsted-kg.ttl --keep-going || test $$? -eq 3

## bench-precision: precision and recall of each fact kind against the hand-labelled audit set (README, "Measured precision")
bench-precision: $(STAMP)
	$(BIN)/python bench/precision.py --corpus $(CORPUS)

## bench-findings: the statements' polarity and themes against the held-apart labelled sentences (README, "Statements")
bench-findings: $(STAMP)
	$(BIN)/python bench/findings.py --corpus $(CORPUS) --json bench/results/findings-$$(date +%F).json

## train-findings: fit the statement models on the labelled set's training part into graph/parsers/statement_model.json
train-findings: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,findings]'
	$(BIN)/python bench/train_findings.py --corpus $(CORPUS)

## england-checks: the whole-graph counts of issue 16 over build/england/ofsted-kg.ttl (built first when missing)
england-checks: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@test -f build/england/ofsted-kg.ttl || $(MAKE) england CORPUS=$(CORPUS)
	$(BIN)/python bench/england_checks.py build/england/ofsted-kg.ttl

## bench-corpus: corpus build time and peak memory, 1 worker against one per core
bench-corpus: $(STAMP)
	$(BIN)/python bench/corpus_build.py $(CORPUS)

## bench-build: the England build clean, with nothing changed, one report touched and one added (extraction cache)
bench-build: $(STAMP)
	$(BIN)/python bench/incremental_build.py $(CORPUS) --json bench/results/incremental-build.json

## bench-pdf: PDF text extractors compared on the corpus (speed, and what the parser can read)
bench-pdf: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/pdf_extractors.py $(CORPUS)

## bench-all: builds, every saved query on every engine at three scales, load, start-up (bench/README.md)
bench-all: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

validate: $(STAMP)
	$(BIN)/ofsted-kg validate $(OUT)

clean:
	rm -rf $(VENV) build dist .pytest_cache
