# The two commands of the README's quick start:
#   make demo   installs geomap in .venv and maps an example article (maps/demo.html)
#   make test   installs geomap with its test tools (Chromium for the browser tests, PostgreSQL 15 + PostGIS for the
#               store tests), checks the code with ruff (the configuration in pyproject.toml) and runs every test
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install install-test browser postgres maps benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,cluster]"

# Debian's chromium and chromium-driver, for the tests that open maps in a real browser.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# Debian's PostgreSQL 15 and PostGIS 3, for the store tests (they start a throwaway cluster of their own).
postgres:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-15-postgis-3 >/dev/null; \
	fi

demo: install
	$(BIN)/geomap map geomap/examples/iran_corridor.txt -o maps/demo.html --offline

test: install-test browser postgres
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

maps: install
	$(BIN)/python tools/regenerate_maps.py

benchmarks: install
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
