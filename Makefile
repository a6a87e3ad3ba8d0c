# Tradelane — the two commands a newcomer needs:
#   make run    install, prepare the embedded database with demo data, serve web + worker
#   make test   install, then run the whole suite (lint, unit, API, browser)
# Everything is installed into .venv from requirements.txt (pinned).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format install browser migrate seed messages clean help

help:
	@echo "make run    serve Tradelane with demo data at http://127.0.0.1:$(PORT)/"
	@echo "make test   run the whole suite (DATABASE_URL=postgres://... to use PostgreSQL)"

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13), "Python 3.11 to 3.13 is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py compile_translations
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} PORT=$(PORT) $(PY) manage.py runplatform

migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate

seed: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py seed_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install browser lint
	TRADELANE_TESTING=1 $(PY) manage.py compile_translations
	TRADELANE_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

# Authoring only (needs GNU gettext's xgettext): refresh the .po catalogues from the code.
messages: install
	cd tradelane && ../$(PY) ../manage.py makemessages --locale es --locale fr --locale de --no-obsolete

clean:
	rm -rf var/ .pytest_cache
