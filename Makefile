# Tavolo: the README's commands. Everything installs what it needs first, so a fresh clone just works.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV_HOME := .cache/uv-tool
UV := $(UV_HOME)/bin/uv
export UV_PYTHON_DOWNLOADS := never
WEB := frontends
NPM := npm --prefix $(WEB) --no-fund --no-audit
API_TYPES := $(WEB)/packages/api/src/appliance.d.ts

.PHONY: install demo test check lint typecheck pytest bench bench-analytics bench-cloud api-types api-types-check web-install web-check web-build \
	clean migration soak

$(UV):
	$(PY) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PY)
	@touch $@

$(WEB)/node_modules/.installed: $(WEB)/package-lock.json
	$(NPM) ci
	@touch $@

install: $(BIN)/.synced ## install Python dependencies from the lock file

web-install: $(WEB)/node_modules/.installed ## install front-end dependencies from the lock file

web-build: web-install ## build every web app into frontends/dist/<app>/
	$(NPM) run build

web-check: web-install ## ESLint, tsc --noEmit and Vitest on the front ends
	$(NPM) run lint
	$(NPM) run typecheck
	$(NPM) run test

demo: install web-build ## run the whole system with demo data (appliance :8000, cloud :8001)
	$(BIN)/python deploy/demo.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

check: lint typecheck ## static checks only

# The browser tests in pytest drive the built apps, so the build comes first.
test: lint typecheck api-types-check web-check web-build pytest ## every check and every test (CI runs exactly this)

bench: install ## the rush benchmark against a real appliance process
	$(BIN)/python -m tests.bench.rush

bench-analytics: install ## a generated year (~300k items): every analytics endpoint timed against 500 ms
	$(BIN)/python -m tests.bench.analytics $(ARGS)

soak: install ## the fault suite's long form: random faults during a rush for 10 minutes (MINUTES=n to change)
	$(BIN)/python -m tests.reliability.soak --minutes $(or $(MINUTES),10)

bench-cloud: install ## the cloud heartbeat benchmark on PostgreSQL ($$TEST_POSTGRES_URL, else the local test database)
	$(BIN)/python -m tests.bench.cloud_heartbeat

api-types: install web-install ## regenerate the front-end API types from the OpenAPI schemas
	@mkdir -p .cache
	$(BIN)/python -m local_backend openapi -o .cache/appliance-openapi.json
	cd $(WEB) && npx openapi-typescript ../.cache/appliance-openapi.json -o packages/api/src/appliance.d.ts
	$(BIN)/python -m cloud_backend openapi -o .cache/cloud-openapi.json
	cd $(WEB) && npx openapi-typescript ../.cache/cloud-openapi.json -o packages/api/src/cloud.d.ts

api-types-check: install web-install ## fail if the committed API types differ from the current OpenAPI schema
	@mkdir -p .cache
	$(BIN)/python -m local_backend openapi -o .cache/appliance-openapi.json
	$(BIN)/python -m cloud_backend openapi -o .cache/cloud-openapi.json
	cd $(WEB) && npx openapi-typescript ../.cache/appliance-openapi.json -o ../.cache/appliance.d.ts >/dev/null
	cd $(WEB) && npx openapi-typescript ../.cache/cloud-openapi.json -o ../.cache/cloud.d.ts >/dev/null
	@diff -u $(API_TYPES) .cache/appliance.d.ts >/dev/null || { diff -u $(API_TYPES) .cache/appliance.d.ts | head -40; \
		echo "$(API_TYPES) is stale: run 'make api-types' and commit it"; exit 1; }
	@diff -u $(WEB)/packages/api/src/cloud.d.ts .cache/cloud.d.ts >/dev/null || { \
		diff -u $(WEB)/packages/api/src/cloud.d.ts .cache/cloud.d.ts | head -40; \
		echo "$(WEB)/packages/api/src/cloud.d.ts is stale: run 'make api-types' and commit it"; exit 1; }

migration: install ## add a migration for model changes: make migration MSG="what changed" (released ones are frozen)
	@test -n "$(MSG)" || { echo 'usage: make migration MSG="what changed"'; exit 2; }
	DATABASE_URL=sqlite:///$$(mktemp -d)/gen.db $(BIN)/python -m local_backend makemigration "$(MSG)"
	$(BIN)/ruff format -q local_backend/migrations
	$(BIN)/ruff check -q --fix local_backend/migrations

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache data $(WEB)/node_modules $(WEB)/dist
