# Servicenav: `make run` starts it, `make test` runs everything CI runs.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PO_FILES := $(wildcard servicenav/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint bench wrk drills install install-dev messages lock clean

run: install $(MO_FILES) | var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	@echo "Servicenav: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev $(MO_FILES) lint | var
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; \
	exit $$status

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Timings on generated data, printed, never failing (docs/performance.md): SQLite in var/
# by default, PostgreSQL with DATABASE_URL=postgres://…; each script builds and drops its
# own test database. On PostgreSQL, bench.load then loads the application under gunicorn
# with wrk, says which targets the run met and writes bench/results/latest.md (its data is
# generated once and kept).
BENCH := $(BIN)/python -W "ignore:No directory at:UserWarning" -m
bench: install-dev | var
	$(BENCH) bench.survey_analysis
	$(BENCH) bench.kpis
	$(BENCH) bench.public_statistics
	$(BENCH) bench.public_pages
	@case "$$DATABASE_URL" in \
	  postgres*) $(MAKE) --no-print-directory wrk && $(BENCH) bench.load ;; \
	  *) echo "bench.load skipped: the load benchmark needs DATABASE_URL=postgres://…" ;; \
	esac

# Drills (issue 11, docs/security.md): concurrency, crash, mail outage, backup and restore
# and upgrade, each on SQLite and on PostgreSQL (a throw-away cluster of their own, started
# with initdb and pg_ctl, never a shared server). Prints what was done and what held and
# writes drills/results/latest.md; about a quarter of an hour. Smaller and faster, e.g.
# DRILL_CASES=2000 DRILL_SQLITE_CASES=500 (drills/config.py). CI does not run them.
drills: install-dev | var
	$(BIN)/python -m drills

# The load generator of bench.load: Debian's wrk. As root we install it, otherwise we say
# what is missing.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "wrk is missing: install Debian's package wrk" >&2; exit 1; fi; }

var:
	mkdir -p var

# The virtual environment. Debian's own python3 needs python3-venv for this; as root we
# install it, otherwise we say what is missing.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Python's venv module is missing: install python3-venv" >&2; exit 1; fi; }
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.installed $@

# Compiled catalogues are built, not committed; Babel compiles them without GNU gettext.
%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Extract translatable strings into the Swedish catalogue (needs GNU gettext's xgettext).
# Source strings are English, so English needs no catalogue of its own.
messages: install
	$(BIN)/python manage.py makemessages --locale sv --no-obsolete --no-location \
	  --ignore ".venv/*" --ignore "var/*" --ignore "*/tests/*" --ignore "tests/*"

# Re-pin dependencies from requirements*.in, in a scratch environment.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned runtime dependencies: pip freeze of requirements.in. Regenerate with 'make lock'."; \
	  .venv-lock/bin/pip freeze; } > requirements.txt
	.venv-lock/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Pinned development and CI tools: pip freeze minus requirements.txt. Regenerate with 'make lock'."; \
	  echo "-r requirements.txt"; .venv-lock/bin/pip freeze | grep -vxFf requirements.txt; } > requirements-dev.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
