# Everything runs from .venv, created on first use with the newest Python >= 3.11 found.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo run test lint format bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "rehabteam needs Python 3.11 or newer (python3.11+ on PATH)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,web]'
	$(BIN)/python -m compileall -q rehabteam
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install rehabteam with its dev tools

demo: $(STAMP)  ## open the app on a fresh demo database (fictitious data)
	$(BIN)/rehabteam --demo

run: $(STAMP)  ## open the app on the configured database
	$(BIN)/rehabteam

test: $(STAMP)  ## the whole test suite, two at a time (PostgreSQL tests run when REHABTEAM_TEST_POSTGRES_URL is set)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)  ## ruff (lint and format check) and mypy --strict
	$(BIN)/ruff check rehabteam tests benchmarks
	$(BIN)/ruff format --check rehabteam tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)  ## benchmarks against their budgets (table + benchmarks/results/latest.json)
	@# Bytecode as an installed package has it (pip compiles what it installs; the
	@# editable install does not, and PYTHONDONTWRITEBYTECODE would keep it from caching).
	$(BIN)/python -m compileall -q rehabteam
	$(BIN)/python -m benchmarks.run

format: $(STAMP)
	$(BIN)/ruff format rehabteam tests
	$(BIN)/ruff check --fix rehabteam tests

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
