# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# The exact versions to install: pyproject.toml says what is allowed, the lock what is used.
LOCK := requirements.lock
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test migrate demo lint format check bench browser css messages screenshots clean lock \
	templates-check hooks \
	backup restore

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PIP) install --quiet -c $(LOCK) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) $(STAMP)
	$(PIP) install --quiet -c $(LOCK) -e ".[test]"
	touch $@

# Resolves pyproject.toml's ranges afresh in a clean venv and writes the lock.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet -e ".[test]"
	{ echo "# The exact versions \`make run\`, \`make test\` and CI install (pip constraints), resolved from"; \
	  echo "# pyproject.toml's ranges by \`make lock\`. Regenerate after changing a dependency."; \
	  .venv-lock/bin/pip freeze --exclude-editable; } > $(LOCK)
	rm -rf .venv-lock

install: $(STAMP)
install-test: $(TEST_STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo --if-empty

# The demo accounts sign in without a phone: the development bypass of the second factor,
# which settings refuse with DEBUG off (see README, "Two factors").
run: demo
	@HUB_TWO_FACTOR_REQUIRED=0 $(PY) manage.py demo_sign_in --address $(HOST):$(PORT)
	HUB_TWO_FACTOR_REQUIRED=0 $(PY) manage.py runserver $(HOST):$(PORT)

# Installs Debian's chromium for the browser tests when it can (as root); otherwise the browser
# tests say plainly that they were skipped. .ci/run sets HUB_REQUIRE_BROWSER=1, so they never skip.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
				|| echo "Could not install chromium: the browser tests will be skipped."; \
		else \
			echo "No /usr/bin/chromium and not root: the browser tests will be skipped."; \
		fi; \
	fi

test: install-test browser
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) --no-print-directory templates-check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) --no-print-directory templates-check

# Every template indented as djhtml indents it (git's own list: never .venv or node_modules).
templates-check:
	git ls-files '*.html' | xargs $(VENV)/bin/djhtml --check

hooks: install-test
	$(VENV)/bin/pre-commit install

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	git ls-files '*.html' | xargs $(VENV)/bin/djhtml

# Rebuilds site/static/css/hub.css and site/static/js/govuk-frontend.min.js from GOV.UK Frontend.
# Only front-end work needs this (and Node with npm): the built files are committed, so that
# `make run` and `make test` never need Node.
# The partnership's words in Wagtail's admin (hub/locale/en_GB): rebuild the committed .mo after
# changing the .po. Needs GNU gettext (Debian's gettext package).
messages: install
	$(PY) manage.py compilemessages --locale en_GB --ignore '.venv*'

# Each demo account's home page, for the guides (docs/screenshots/): needs `make demo` and chromium.
screenshots: demo browser
	$(PY) docs/screenshots/take.py

css:
	@command -v npm >/dev/null || { echo "make css needs Node.js and npm."; exit 1; }
	npm ci --no-audit --no-fund
	npm run build

# One archive of the database and the private files in HUB_BACKUP_DIR (var/backups), encrypted
# when HUB_BACKUP_KEY is set; `make restore FILE=...` checks it whole, asks, then restores it.
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/hub-backup-....tar.gz.fernet"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

bench: install-test
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
