# The two commands a newcomer needs: `make run` and `make test`. Everything else is detail.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install browser-deps db seed lint format migrations-check bench clean

run: install db  ## install, migrate, load the seeds, create the first login, serve on :8000
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser-deps  ## lint, migrations check, the suite on SQLite and PostgreSQL, quick benches
	bash scripts/test.sh

install: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

browser-deps:  ## Debian's chromium for the browser tests (Playwright drives it; no download)
	@test -x /usr/bin/chromium || bash scripts/install-chromium.sh
	@command -v sqlite3 >/dev/null || bash scripts/install-sqlite3.sh  # export bench reference

db: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py create_analyst
	$(BIN)/python manage.py load_seeds --user analyst

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install  ## full benchmark run (see README, Performance); SIZE=100000 DB=postgres
	$(BIN)/python -m bench --claims $${SIZE:-10000} --db $${DB:-sqlite}

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts
