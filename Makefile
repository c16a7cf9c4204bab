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

test: $(STAMP)
	$(PY) -m pytest -q -m "not slow" -p no:cacheprovider

test-all: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check jenga_games tests benchmarks papers

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]' || echo "some peers did not install; benchmarks print what they skip"
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

docs: $(STAMP)
	$(PY) -m pip install --quiet -e '.[docs]'
	$(VENV)/bin/mkdocs build --strict

papers: $(STAMP)
	$(VENV)/bin/jenga papers build

clean:
	rm -rf $(VENV) $(OUT) site build *.egg-info
