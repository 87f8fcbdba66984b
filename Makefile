# selfdirect: two commands. `make run` serves the demo council; `make test` runs every check.
# Both set everything up from a fresh clone: .venv, pinned packages, GOV.UK Frontend, database.

PORT ?= 8000
PEOPLE ?= 1000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
CSS := selfdirect/static/build/selfdirect.css
SCSS := $(wildcard assets/scss/*.scss)
PYTEST_WORKERS ?= 2

.PHONY: run test setup assets migrate lint typecheck security test-sqlite test-postgres test-scale test-browser bench clean

setup: $(STAMP_PY) $(CSS)

$(STAMP_PY): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(STAMP_NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(STAMP_NODE) $(SCSS) scripts/build-assets
	scripts/build-assets

assets: $(CSS)

migrate: setup
	$(BIN)/selfdirect migrate --noinput -v 0

run: migrate
	$(BIN)/selfdirect seed --if-empty --people $(PEOPLE) --seed 1
	@echo ""
	@echo "Serving the demo council on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	DEBUG=1 $(BIN)/selfdirect runserver 127.0.0.1:$(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy selfdirect

# Targets R8: bandit finds no high-severity problem in our code; pip-audit finds no known
# vulnerability in the pinned packages except those accepted, each with its reason, in
# security/pip-audit-exceptions.txt (it needs the package index's vulnerability data).
security: setup
	$(BIN)/bandit -r selfdirect -q --severity-level high
	$(PY) scripts/pip-audit-check

test-sqlite: setup
	$(BIN)/selfdirect makemigrations --check --dry-run -v 1
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not scale and not fuzz" -q

# Everything again on a real PostgreSQL server on loopback, with the API fuzzing (targets R3).
test-postgres: setup
	scripts/ensure-system-packages
	scripts/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not scale" -q

# Query counts per page at the benchmark sizes S and L (targets P1): one process, SQLite.
test-scale: setup
	$(BIN)/pytest -m scale -q

test-browser: setup
	scripts/ensure-system-packages
	$(BIN)/pytest -m browser -q

test: lint typecheck security test-sqlite test-postgres test-scale test-browser
	@echo "All checks passed."

# The performance targets P1-P5 and P7 at sizes S, M and L on SQLite and PostgreSQL (bench/run.py):
# writes bench/results/<date>.json and the table in docs/PERFORMANCE.md. BENCH_SIZES=S for a
# quick run; seeded SQLite councils are kept under var/bench/ while the seed code is unchanged.
bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules selfdirect/static/build var .pytest_cache .mypy_cache .ruff_cache
