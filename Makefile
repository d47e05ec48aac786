# The README's two commands:  make report  (set up, render the example study)
#                             make test    (set up, run every test)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STUDY  ?= .
REPORT_LANG ?= nl
STAMP  := $(VENV)/.installed

.PHONY: setup system-pdf system-test report test benchmark lint clean

# Create the virtual environment and install the package with the pinned versions of
# constraints.txt, again whenever pyproject.toml or the pins change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# Debian packages, installed when missing: Pango for the PDF (WeasyPrint), and headless Chromium,
# in which the tests open the HTML reports.
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)
system-pdf:
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || ($(APT) update -q && $(APT) install -y -q libpango-1.0-0 libpangoft2-1.0-0)

system-test: system-pdf
	@command -v chromium >/dev/null || ($(APT) update -q && $(APT) install -y -q chromium)

report: setup system-pdf
	$(BIN)/coopresearch report $(STUDY) --lang $(REPORT_LANG)

test: setup system-test
	$(BIN)/python -m pytest

benchmark: setup
	$(BIN)/python benchmarks/bench_report.py

lint: setup
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
