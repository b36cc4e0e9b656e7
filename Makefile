# Esep: `make run` serves the site, `make test` checks everything. Both create .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.esep-installed
ESEP_PORT ?= 8000
VAR := var
SECRETS := $(VAR)/secret_key $(VAR)/iin_pepper
# The local demo lets every demo role log in with the printed password alone; production keeps the TOTP step.
RUN_ENV := ESEP_SECRET_KEY_FILE=$(VAR)/secret_key ESEP_IIN_PEPPER_FILE=$(VAR)/iin_pepper ESEP_OFFICIAL_2FA=false
TEST_ENV := ESEP_TESTING=1

.PHONY: install run test lint bench bench-smoke messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

$(VAR)/%:
	@mkdir -p $(VAR)
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: install $(SECRETS)
	$(RUN_ENV) $(BIN)/esep migrate --noinput -v0
	$(RUN_ENV) $(BIN)/esep collectstatic --noinput -v0
	$(RUN_ENV) $(BIN)/esep territory import data/kato.csv
	$(RUN_ENV) $(BIN)/esep demo
	@echo "Esep is at http://127.0.0.1:$(ESEP_PORT)/  (Ctrl-C to stop)"
	$(RUN_ENV) $(BIN)/gunicorn esep.wsgi --bind 127.0.0.1:$(ESEP_PORT) --workers 2 --threads 4 \
		--access-logfile - --log-level warning

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r esep -ll -q -x '*/migrations/*' 2>/dev/null

test: lint
	$(TEST_ENV) $(BIN)/esep makemigrations --check --dry-run
	$(BIN)/pytest -rs
	$(BIN)/python -m tests.pgserver run -- $(BIN)/pytest -rs tests/postgres

messages: install
	cd esep && $(TEST_ENV) ../$(BIN)/esep makemessages -l kk -l ru -l en --no-obsolete --no-location
	$(TEST_ENV) $(BIN)/esep i18n_english
	$(TEST_ENV) $(BIN)/esep compilemessages -v0 --ignore=.venv

clean:
	rm -rf $(VENV) $(VAR)/static

# Benchmarks (bench/README.md): not part of `make test`. bench-smoke is small and quick; bench writes RESULTS.md.
bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python -m bench.run

bench-smoke: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python -m bench.run --smoke
