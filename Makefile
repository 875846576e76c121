# Mognad's developer loop. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_ENV := MOGNAD_DEBUG=true
PYTEST_ARGS ?=

.PHONY: run test lint typecheck browser stack bench reliability check install clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEMO_ENV) $(BIN)/mognad migrate --no-input
	$(DEMO_ENV) $(BIN)/mognad demo setup
	@echo "Starting the background worker (emails, scoring, scheduled jobs) and the web server."
	$(DEMO_ENV) $(BIN)/mognad worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/mognad runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n 2 -m "not browser and not stack" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m mognad.lint_access
	MOGNAD_DEBUG=true $(BIN)/mognad makemigrations --check --dry-run
	$(BIN)/bandit -q -r mognad -x '*/tests/*' --severity-level high

typecheck: install
	MOGNAD_DEBUG=true $(BIN)/mypy mognad

browser: install
	$(BIN)/pytest -m browser -p no:xdist $(PYTEST_ARGS) mognad

# The production stack of docs/deployment.md on loopback (needs nginx and DATABASE_URL=postgres://…).
stack: install
	$(BIN)/pytest -m stack -p no:xdist -s $(PYTEST_ARGS) mognad/tests/stack

bench: install
	$(BIN)/python -m bench

reliability: install
	$(BIN)/python -m bench.reliability

check: lint typecheck test browser

clean:
	rm -rf $(VENV) var test-artifacts

# Extract translatable strings into the Swedish catalogue(s) and compile them.
# `make messages APP=surveys` touches only mognad/surveys/locale; without APP, every catalogue.
messages: install
ifdef APP
	mkdir -p mognad/$(APP)/locale/sv/LC_MESSAGES
	cd mognad/$(APP) && MOGNAD_DEBUG=true ../../$(BIN)/django-admin makemessages -l sv --settings=mognad.settings --pythonpath=../..
else
	MOGNAD_DEBUG=true $(BIN)/mognad makemessages -l sv --ignore '.venv/*' --ignore 'bench/*'
endif
	$(BIN)/python -m mognad.i18n compile
