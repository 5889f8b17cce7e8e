# Tavolo: the README's commands. Everything installs what it needs first, so a fresh clone just works.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV_HOME := .cache/uv-tool
UV := $(UV_HOME)/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: install demo test check lint typecheck pytest bench api-types clean migration-reset

$(UV):
	$(PY) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PY)
	@touch $@

install: $(BIN)/.synced ## install Python dependencies from the lock file

demo: install ## run the whole system with demo data (appliance :8000, cloud :8001)
	$(BIN)/python deploy/demo.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

check: lint typecheck ## static checks only

test: lint typecheck pytest ## every check and every test (CI runs exactly this)

bench: install ## the rush benchmark against a real appliance process
	$(BIN)/python -m tests.bench.rush

api-types: install ## regenerate the front-end API types from the OpenAPI schemas
	@echo "front-end workspace not built yet (issue 4)"

migration-reset: install ## (before the first release only) regenerate the initial migration from the models
	rm -f local_backend/migrations/versions/*.py
	DATABASE_URL=sqlite:///$$(mktemp -d)/gen.db $(BIN)/python -m local_backend makemigration "initial schema"
	$(BIN)/ruff format -q local_backend/migrations
	$(BIN)/ruff check -q --fix local_backend/migrations

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache data
