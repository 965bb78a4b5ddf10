# The two commands of the README's quick start: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi:app
# make run and make setup serve the development configuration (development secrets allowed);
# production sets nothing here and must configure SECRET_KEY (see README).
export INNOVATIEREGISTER_ENV ?= development
# `make run PORT=8080` serves elsewhere; links in e-mail follow unless PUBLIC_URL is set.
PORT ?= 5000
export PUBLIC_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint setup demo-reset clean bench bench-smoke translations i18n-extract typecheck

# The English catalogue (innovatieregister/i18n.py): the .po is the source, kept in git; the build
# compiles it. `make i18n-extract` adds newly marked Dutch texts to it for translation.
CATALOGUE := innovatieregister/translations/en/LC_MESSAGES/messages
I18N_KEYWORDS := -k _ -k gettext -k ngettext:1,2 -k pgettext:1c,2 -k lazy_pgettext:1c,2 -k _lp:1c,2 -k lazy_gettext -k _l -k N_ -k Said

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,test]'
	touch $@ $(VENV)/.installed

$(CATALOGUE).mo: $(CATALOGUE).po | $(BIN)/python
	$(BIN)/pybabel compile -d innovatieregister/translations -l en

translations: $(VENV)/.installed $(CATALOGUE).mo

i18n-extract: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg $(I18N_KEYWORDS) --no-location --no-wrap --sort-output -o build/messages.pot .
	$(BIN)/pybabel update -i build/messages.pot -d innovatieregister/translations -l en --no-fuzzy-matching \
	  --ignore-obsolete --no-wrap

setup: $(VENV)/.installed translations
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load

# The web server and, beside it, the one scheduler process (deadlines, reminders, e-mail).
run: setup
	@echo "Innovatieregister draait op http://127.0.0.1:$(PORT) (stoppen: Ctrl+C)"
	@$(BIN)/flask scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark instrument (bench/README.md): the national registry on SQLite, or on the
# disposable PostgreSQL database in BENCH_DATABASE_URL (its schema is dropped first).
bench: $(VENV)/.installed-test translations
	$(BIN)/python bench/national.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL)) $(BENCH_ARGS)

# CI's smoke test of the benchmark: the small scale, one short round; it must complete, no timing is asserted.
bench-smoke: $(VENV)/.installed-test translations
	$(BIN)/python bench/national.py --smoke $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# CI's lint step: ruff and the type checker (settings in pyproject.toml's [tool.mypy]).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# A fresh demo database (and the audit checkpoints that belonged to the old one); keeps the venv.
demo-reset:
	rm -rf instance/innovatieregister.db* instance/audit-checkpoints
	$(MAKE) setup

clean:
	rm -rf $(VENV) instance/innovatieregister.db* instance/audit-checkpoints
