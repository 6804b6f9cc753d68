# Two entry points for a fresh machine with Python 3.11 and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: install run test lint pytest bench clean

# torch is pinned to the CPU wheel in the same command: without the pin pip resolves a
# multi-GB CUDA build for sentence-transformers.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0" -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/pressroom serve --demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest

test: lint pytest

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0" -e ".[dev,bench]"
	touch $(BENCH_STAMP)

# Ingest speed next to one encode call and to LlamaIndex, best of 3 rounds: about 4
# minutes on 2 idle cores.
bench: $(BENCH_STAMP)
	$(BIN)/python -m evals.bench ingest --releases 300 --rounds 3

clean:
	rm -rf $(VENV) .pressroom .mypy_cache .ruff_cache
