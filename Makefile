# The README's two commands:  make report  (set up, render the example study)
#                             make test    (set up, run every test)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STUDY  ?= .
REPORT_LANG ?= nl
STAMP  := $(VENV)/.installed

.PHONY: setup report test benchmark lint clean

# Create the virtual environment and install the package with the pinned versions of
# constraints.txt, again whenever pyproject.toml or the pins change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/coopresearch report $(STUDY) --lang $(REPORT_LANG)

test: setup
	$(BIN)/python -m pytest

benchmark: setup
	$(BIN)/python benchmarks/bench_report.py

lint: setup
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
