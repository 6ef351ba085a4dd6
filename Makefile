# The Makefile is the DAG: set-up stamps, then the commands. Command targets are phony (a folder is
# called pipeline too). `make pipeline` and `make test` work on a fresh machine with Python 3.11 + pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RAW    ?= raw
OUT    ?= processed
CORPUS ?= ../shared/corpus

.PHONY: pipeline test eval bench export export-schema clean setup setup-test schema compare

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,dask]'
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed-run
setup-test: $(VENV)/.installed-test

pipeline: setup            ## run every stage on raw/ and write processed/
	$(BIN)/python -m pipeline run --raw $(RAW) --out $(OUT)

test: setup-test           ## the test suite (CI runs this)
	$(BIN)/python -m pytest

eval: setup-test           ## precision/recall/accuracy per task on the labelled sets (and the corpus when present)
	$(BIN)/python -m pipeline eval --corpus $(CORPUS)

bench: setup-test          ## throughput and memory table
	$(BIN)/python -m pipeline bench --corpus $(CORPUS)

EXPORT ?= exports/listings.jsonl
export: setup              ## one clean record per listing for catalogs, into exports/ (EXPORT=exports/feed.csv|.parquet)
	$(BIN)/python -m pipeline export --processed $(OUT) --out $(EXPORT)

schema: setup              ## print the data dictionary
	$(BIN)/python -m pipeline schema

export-schema: setup       ## rewrite pipeline/contract/export.schema.json from the code (a test checks it byte for byte)
	$(BIN)/python -m pipeline schema --format jsonschema > pipeline/contract/export.schema.json

REF ?= main
compare: setup-test        ## row-for-row comparison of every output table with commit REF (make compare REF=<commit>)
	$(BIN)/python scripts/compare.py $(REF) --corpus $(CORPUS)

label-agreement: setup-test ; $(BIN)/python scripts/label_agreement.py   # agreement of the policy labels with their second pass (AGREEMENT.md)

clean:
	rm -rf $(OUT) .$(OUT).staging .$(OUT).lock .pytest_cache .hypothesis
