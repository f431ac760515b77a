# Touchstone: the two commands of the README, and a few more.
#   make run    set up, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: setup browser run test lint format bench bench-dashboards bench-themes bench-api bench-load bench-own-questions bench-coverage bench-chart-page bench-answer bench-faults worker beat clean screenshots

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Developer defaults for this checkout; real environment variables always win.
.env:
	printf 'DEBUG=1\n' > $@

setup: $(INSTALLED) .env
	mkdir -p var/outbox var/staticfiles

# Survey links in the emails lead to where the app is served, unless SITE_URL says else.
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	SITE_URL="$${SITE_URL:-http://$(HOST)}" $(BIN)/python manage.py runserver $(HOST)

# The browser tests drive Debian's Chromium through Playwright (no browser download);
# the emoji font draws the channel icons in screenshots.
BROWSER_PACKAGES := chromium fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES); }

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Board screenshots for the README, taken from the demo data with the same browser.
screenshots: setup browser
	$(BIN)/python docs/screenshots.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python bench/rollups.py $(BENCH_ARGS)

bench-dashboards: setup
	$(BIN)/python bench/dashboards.py $(BENCH_ARGS)

bench-themes: setup
	$(BIN)/python bench/themes.py $(BENCH_ARGS)

bench-api: setup
	$(BIN)/python bench/api.py $(BENCH_ARGS)

bench-load: setup
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-own-questions: setup
	$(BIN)/python bench/own_questions.py $(BENCH_ARGS)

bench-coverage: setup
	$(BIN)/python bench/interval_coverage.py $(BENCH_ARGS)

bench-chart-page: setup browser
	$(BIN)/python bench/chart_page.py $(BENCH_ARGS)

bench-answer: setup
	$(BIN)/python bench/answer_cost.py $(BENCH_ARGS)

bench-faults: setup
	$(BIN)/python bench/faults.py $(BENCH_ARGS)

# Production-like processes against REDIS_URL (see README).
worker: setup
	$(BIN)/celery -A config worker --loglevel=INFO

beat: setup
	$(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
