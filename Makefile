# The README's two commands: `make` (set up, build the sample's tables, render the notebooks)
# and `make test`. Both create .venv/ with the pinned dependencies first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kit-installed
TABLES := data/tables
RENDERED := data/rendered

LOCK := requirements.lock
UV := uv==0.13.8

.PHONY: all setup system tables render test test-fast lint lock bench train clean

all: tables render

# Every transitive dependency at the version (and hash) in requirements.lock, then the kit itself.
$(STAMP): pyproject.toml $(LOCK) | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-resolve the lock after changing a pin in pyproject.toml (and environment.yml); a test checks
# that the three agree.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(UV)
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --annotation-style line --custom-compile-command "make lock" \
	  --quiet -o $(LOCK)

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

# The full suite (CI). The quick loop while working: `make test-fast` leaves out tests marked slow
# (whole corpora, multi-article builds, notebook execution, the wheel install).
test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

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
