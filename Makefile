# commerce_plugin: the two commands a newcomer needs are `make demo` and `make test`.
# Both create the virtualenv (.venv, Python 3.11) from the compiled requirements on first use.

.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LS_VENV := .venv-localstripe
LS_STAMP := $(LS_VENV)/.installed
export LOCALSTRIPE_PYTHON ?= $(CURDIR)/$(LS_VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= sandbox.settings.test

LMS_LINE ?= ulmo
TUTOR_VENV := .venv-tutor
TUTOR_STAMP := $(TUTOR_VENV)/.installed

.PHONY: help upgrade-lms-pins test-lms test-tutor bench bench-smoke bench-access chromium redis-setup requirements test test-mysql quality quality-checks demo upgrade compile-requirements \
        docs-settings docs-api mysql-setup clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-22s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt requirements/test.txt requirements/quality.txt setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The Stripe stand-in (localstripe, GPL) lives in its own virtualenv: never imported by the plugin.
$(LS_STAMP): requirements/localstripe.txt
	test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet -r requirements/localstripe.txt
	touch $(LS_STAMP)

requirements: $(STAMP) ## install the development requirements into .venv (pip-sync keeps it exact)
	$(BIN)/pip-sync requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .

demo: $(STAMP) $(LS_STAMP) ## run the sandbox: a miniature LMS with the plugin, on http://127.0.0.1:8000
	$(BIN)/python -m sandbox demo

test: $(STAMP) $(LS_STAMP) chromium redis-setup ## run the test suite on SQLite (no services needed)
	$(BIN)/python -m pytest

test-mysql: $(STAMP) $(LS_STAMP) chromium redis-setup mysql-setup ## run the same suite on MariaDB/MySQL (starts MariaDB if needed)
	DJANGO_SETTINGS_MODULE=sandbox.settings.test_mysql $(BIN)/python -m pytest

chromium: ## make sure Debian's Chromium is installed (browser tests)
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium.sh

redis-setup: ## make sure Redis runs (broker of the Celery worker test)
	@scripts/redis-setup.sh

mysql-setup: ## make sure MariaDB runs and has the test user
	scripts/mysql-setup.sh

bench: $(STAMP) $(LS_STAMP) mysql-setup redis-setup ## benchmark the Stripe webhook on MariaDB: intake vs a bare view, processing, worker latency, a storm (writes bench/RESULTS.md)
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python bench/webhook_throughput.py $(BENCH_ARGS)

bench-smoke: $(STAMP) $(LS_STAMP) mysql-setup redis-setup ## CI's bounded run of make bench: tiny sizes, fails only if a purchase is not applied exactly once
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python bench/webhook_throughput.py --smoke

bench-access: $(STAMP) mysql-setup ## benchmark a 10,000-member workgroup attached by a new rule (MariaDB; prints figures)
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python bench/access_apply.py $(BENCH_ARGS)

quality: $(STAMP) quality-checks ## lint, migrations in sync, PII annotations, import layers

quality-checks:
	$(BIN)/ruff check commerce_plugin sandbox tests bench scripts tutor-contrib-commerce setup.py manage.py
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=sandbox.settings.test
	$(BIN)/lint-imports
	$(BIN)/code_annotations django_find_annotations --config_file .pii_annotations.yml --lint --report --coverage \
		--report_path var/pii_report

docs-api: $(STAMP) ## regenerate docs/reference/openapi.yaml (the REST reference) from the views
	$(BIN)/python scripts/render_openapi.py

docs-settings: $(STAMP) ## regenerate docs/settings.rst from the settings registry
	$(BIN)/python -c "from commerce_plugin.settings.registry import render_rst; print(render_rst(), end='')" > docs/settings.rst

compile-requirements: ## compile requirements/*.in to pinned *.txt (Python 3.11)
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/base.txt requirements/base.in
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/test.txt requirements/test.in
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/quality.txt requirements/quality.in
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/pip-tools.txt requirements/pip-tools.in
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/ci.txt requirements/ci.in
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/dev.txt requirements/dev.in
	$(BIN)/pip-compile $(COMPILE_OPTS) --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/localstripe.txt requirements/localstripe.in

upgrade-lms-pins: $(STAMP) ## refresh requirements/lms/$(LMS_LINE).txt from an LMS checkout: make upgrade-lms-pins LMS_CHECKOUT=../openedx-platform LMS_LINE=ulmo
	@test -n "$(LMS_CHECKOUT)" || { echo "set LMS_CHECKOUT to an openedx-platform checkout (and LMS_LINE=ulmo|master)"; exit 2; }
	$(BIN)/python scripts/lms_pins.py "$(LMS_CHECKOUT)" $(LMS_LINE)

# Tutor lives in its own virtualenv: in the Django one it would upgrade python-dateutil past celery's pin.
$(TUTOR_STAMP): tutor-contrib-commerce/pyproject.toml
	test -x $(TUTOR_VENV)/bin/python || $(PYTHON) -m venv $(TUTOR_VENV)
	$(TUTOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TUTOR_VENV)/bin/python -m pip install --quiet -e tutor-contrib-commerce pytest pyyaml
	touch $(TUTOR_STAMP)

test-tutor: $(STAMP) $(TUTOR_STAMP) ## test the Tutor plugin (tutor-contrib-commerce/): render with Tutor, load in the sandbox
	cd tutor-contrib-commerce && COMMERCE_SANDBOX_PYTHON=$(CURDIR)/$(BIN)/python ../$(TUTOR_VENV)/bin/python -m pytest

test-lms: $(STAMP) $(LS_STAMP) chromium redis-setup ## run the suite under the LMS's own pins (tox -e py311-lms-ulmo)
	$(BIN)/tox -e py311-lms-ulmo

upgrade: ## upgrade every pinned requirement to its newest allowed version
	$(MAKE) compile-requirements COMPILE_OPTS="--upgrade"

clean: ## remove caches and the sandbox's databases (keeps .venv)
	rm -rf var .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
