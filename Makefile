# Every target is self-sufficient on a fresh machine: it creates .venv if missing
# and installs the package with what it needs (re-installs when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-test
OUT    ?= demo-output

.PHONY: demo test test-all bench docs papers lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	$(VENV)/bin/jenga demo --out $(OUT)

# One pytest worker per core (pytest-xdist); JOBS=0 runs in a single process.
JOBS ?= auto
test: $(STAMP)
	$(PY) -m pytest -q -m "not slow" -p no:cacheprovider -n $(JOBS)

# Also installs the optional back-ends so their tests run instead of skipping (Dask, Parquet).
test-all: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,distributed]' pyarrow
	$(PY) -m pytest -q -p no:cacheprovider -n $(JOBS)

lint: $(STAMP)
	$(VENV)/bin/ruff check jenga_games tests benchmarks papers
	$(VENV)/bin/ruff format --check jenga_games tests benchmarks papers

# Peers live in their own venv so the test environment stays light (pygambit builds
# from source for ~12 minutes; axelrod pulls in torch).
BENCH_PY := .venv-bench/bin/python
$(BENCH_PY):
	$(PYTHON) -m venv .venv-bench
	$(BENCH_PY) -m pip install --quiet --upgrade pip
	$(BENCH_PY) -m pip install --quiet -e '.[test]'
	$(BENCH_PY) -m pip install --quiet quantecon coopgame-py pyinstrument || true
	$(BENCH_PY) -m pip install --quiet pygambit || echo "pygambit did not build: its columns are skipped"
	$(BENCH_PY) -m pip install --quiet axelrod || echo "axelrod did not install: its columns are skipped"

bench: $(BENCH_PY)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BENCH_PY) $$b || exit 1; done

docs: $(STAMP)
	$(PY) -m pip install --quiet -e '.[docs]'
	$(VENV)/bin/mkdocs build --strict

papers: $(STAMP)
	$(VENV)/bin/jenga papers build

clean:
	rm -rf $(VENV) $(OUT) site build *.egg-info
