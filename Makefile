# Heelwijk: `make demo` serves a demo neighbourhood, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

export DJANGO_SETTINGS_MODULE := heelwijk.settings

# The ledger's core, type-checked strictly (see [tool.mypy] in pyproject.toml).
L := src/heelwijk/ledger
MYPY_STRICT := $(L)/models.py $(L)/money.py $(L)/errors.py $(L)/types.py $(L)/actions \
	$(L)/selectors.py $(L)/verify.py $(L)/hashchain.py $(L)/locking.py $(L)/prepared.py

.PHONY: demo test lint format messages install serve clean pytest-sqlite pytest-postgres bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/python -m heelwijk.i18n_compile

demo: install
	mkdir -p var
	HEELWIJK_ENV=development $(BIN)/heelwijk migrate --no-input
	HEELWIJK_ENV=development $(BIN)/heelwijk demo --port $(PORT)
	HEELWIJK_ENV=development $(BIN)/heelwijk serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	HEELWIJK_ENV=test $(BIN)/mypy $(MYPY_STRICT)
	@if command -v xgettext >/dev/null; then $(BIN)/python -m heelwijk.i18n_check; \
	elif [ "$(CI)" = "true" ]; then echo 'CI needs GNU gettext for the translation check'; exit 1; \
	else echo '== translation check skipped: apt-get install gettext'; fi
	HEELWIJK_ENV=test $(BIN)/heelwijk makemigrations --check --dry-run

test: lint pytest-sqlite pytest-postgres

pytest-sqlite: install
	DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

pytest-postgres: install
	@if [ -n "$(DATABASE_URL_PG)" ]; then \
		echo "== PostgreSQL pass: $(DATABASE_URL_PG)"; \
		DATABASE_URL="$(DATABASE_URL_PG)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$(CI)" = "true" ]; then \
		echo "CI=true but DATABASE_URL_PG is not set: the PostgreSQL pass must run in CI"; exit 1; \
	else \
		echo "== PostgreSQL pass skipped: set DATABASE_URL_PG=postgres://postgres@127.0.0.1:5432/test to run it"; \
	fi

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/ledger.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
