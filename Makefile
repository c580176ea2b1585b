PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dimona-batch demo --out reports/demo

test: $(STAMP)
	$(BIN)/python -m pytest

# random rosters through declare and reconcile: 2,000 long, 250 grids, 250 actuals
.PHONY: fuzz
fuzz: $(STAMP)
	DIMONA_FUZZ=1 $(BIN)/python -m pytest tests/test_fuzz.py -q

# the benchmark runs the batch as a user installs it: without the test tools (pandera
# imports hypothesis at its first validation when it finds it installed)
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -e .
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python benchmarks/bench.py $(ARGS)

# docs/commands.md: every command's --help (tests/test_docs.py checks it)
docs: $(STAMP)
	$(BIN)/python tests/test_docs.py

lint: $(STAMP)
	$(BIN)/ruff check batch tests benchmarks
	$(BIN)/ruff format --check batch tests benchmarks

clean:
	rm -rf $(VENV) $(BENCH_VENV) reports/demo

# declare --channel rest killed at random moments with faults on, then sync (not in `make test`)
.PHONY: soak
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --trials 50 --shifts 2000 --parallel 16
