# municipal-roles: set-up, run, test and benchmark.
#   make run    create .venv, install, extract over raw/ into output/
#   make report the review page of output/ (output/report.html)
#   make test   create .venv, install, run the test suite
#   make bench  speed and memory figures (bench/README in bench/run_bench.py)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run report test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: install
	$(BIN)/municipal-roles extract raw --out output

report: install
	$(BIN)/municipal-roles report output

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf output/*.csv output/*.parquet output/report.html .pytest_cache
