# The README's two commands: `make` (set up, build the sample's tables, render the notebooks)
# and `make test`. Both create .venv/ with the pinned dependencies first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kit-installed
TABLES := data/tables
RENDERED := data/rendered

.PHONY: all setup system tables render test lint bench train clean

all: tables render

$(STAMP): pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages: Chromium for the browser checks of rendered notebooks, ICU headers for PyICU
# (which normality builds on). Installed only when missing.
DEBIAN_PACKAGES := chromium libicu-dev pkg-config
system:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "make: missing Debian packages: $$missing (browser tests skip without chromium)" >&2; fi; \
	fi

setup: $(STAMP) system

tables: setup
	$(BIN)/kit build data/articles --out $(TABLES)

render: tables
	$(BIN)/kit render $(TABLES) --out $(RENDERED)

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check kit tests
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/component_cost.py
	$(BIN)/python bench/dates_build_cost.py --lang en
	$(BIN)/python bench/dates_build_cost.py --lang de --copies 2

train: setup
	$(BIN)/kit train ner --lang de
	$(BIN)/kit train places --lang de
	$(BIN)/kit train ner --lang en
	$(BIN)/kit train claims --lang de

clean:
	rm -rf $(TABLES) $(RENDERED)
