# Optimization for Deep Learning: build, test and teach.
#   make book    build the HTML book into _build/html (warnings are errors)
#   make test    lint, unit tests, nbval over every notebook, the book build, slides and the browser check
# Both set up .venv from requirements.txt + constraints.txt first; all you need is Python 3.11 and make
# (the browser check installs Debian's chromium the first time, as root or with sudo).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
# nbval runs this many notebooks at once (pytest-xdist; each notebook whole in one kernel); 0 runs them in turn.
NB_WORKERS ?= 2
STAMP  := $(VENV)/.installed
# This machine's pip configuration names local package folders that may not exist; their warnings are noise.
QUIET_PIP := grep -v "^WARNING: Location '.*' is ignored" || true

.PHONY: help venv book slides test lint unit notebooks browser audit lab execute lock clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@py="$$(command -v $(PYTHON) || command -v python3 || true)"; \
	if [ -z "$$py" ] || ! "$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "error: need Python 3.11 (found '$${py:-nothing}'); run make PYTHON=/path/to/python3.11" >&2; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	  echo "creating $(VENV) with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV); fi
	@echo "installing the pinned environment into $(VENV) (first time: about a minute)"
	@$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt -c constraints.txt 2>&1 | $(QUIET_PIP)
	@$(PY) -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . 2>&1 | $(QUIET_PIP)
	@$(PY) -m pip check
	@# Build matplotlib's font cache now, so no notebook prints "building the font cache" to stderr.
	@$(PY) -c 'import matplotlib.pyplot'
	@touch $@

venv: $(STAMP)  ## create or refresh .venv from the pins

book: $(STAMP)  ## build the HTML book (warnings are errors) and print the path of index.html
	@$(PY) tools/vendor.py book _vendor
	@rm -rf _build/html
	@$(VENV)/bin/jupyter-book build . --all --builder html -W -n --keep-going --quiet
	@echo "book: $(CURDIR)/_build/html/index.html"

slides: $(STAMP)  ## build one reveal.js deck per chapter into _build/slides (offline: no CDN)
	@$(PY) tools/slides.py _build/slides

lint: $(STAMP)  ## ruff over the Python code (the notebooks are left to nbval)
	@$(VENV)/bin/ruff check .

unit: $(STAMP)  ## unit tests of d2l_utils and the tools
	@$(PY) -m pytest tests -m "not browser and not notebooks"

# Both cores: nbval re-runs every notebook whole on one worker (--dist loadfile) and compares its outputs;
# then every single-framework version of a chapter (tools/single_framework.py) must run without error.
notebooks: $(STAMP)  ## nbval over every notebook (strict), and each chapter with one framework's cells only
	@$(PY) -m pytest -n $(NB_WORKERS) --dist loadfile \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg chapters
	@$(PY) -m pytest -n $(NB_WORKERS) -m notebooks tests/test_single_framework.py

browser: $(STAMP)  ## load every built page and one deck in headless Chromium (installs chromium if missing)
	@bash tools/ensure_chromium.sh
	@$(PY) -m pytest tests -m browser

test: $(STAMP)  ## the whole suite: lint, unit tests, nbval, the -W book build, slides, browser check
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory notebooks
	@$(MAKE) --no-print-directory book
	@$(MAKE) --no-print-directory slides
	@$(MAKE) --no-print-directory browser

# pip-audit looks each pin up on PyPI, which has no local builds such as torch 2.13.0+cpu: those are
# audited as their public release (same source). --strict: a package it cannot look up fails the audit.
audit: $(STAMP)  ## check every locked package against PyPI's vulnerability data (needs the network)
	@sed -E 's/^([^#=]+==[^+]+)\+.*/\1/' constraints.txt > $(VENV)/audit-requirements.txt
	@$(VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
	  -r $(VENV)/audit-requirements.txt 2>&1 | { grep -v 'fully hash\|pip-compile' || true; }

lab: $(STAMP)  ## open JupyterLab on chapters/ with the project's kernel
	@$(VENV)/bin/jupyter lab --notebook-dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root)

execute: $(STAMP)  ## re-execute notebooks in a fresh kernel and store outputs: make execute NB="chapters/x.ipynb"
	@$(PY) tools/execute.py $(or $(NB),$(sort $(wildcard chapters/*.ipynb)))

lock: $(STAMP)  ## rewrite constraints.txt from the installed environment (after changing requirements.txt)
	@{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -vi '^d2l-utils'; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt && echo "constraints.txt rewritten"

clean:  ## remove build outputs (keeps .venv)
	rm -rf _build _vendor .pytest_cache
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

distclean: clean  ## also remove .venv
	rm -rf $(VENV)
