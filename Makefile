# The two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The Nu HTML Checker (vnu-jar) the browser tests run; npm installs it when package.json changes.
NODE_STAMP := node_modules/.installed
NPM ?= npm
CATALOGS := $(wildcard mvp/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test install lint format translations extract-messages bench clean

run: install
	$(BIN)/flask --app mvp db upgrade
	$(BIN)/flask --app mvp surveys load-instrument
	$(BIN)/flask --app mvp demo --if-empty
	@echo ""
	@echo "MVP is served at http://$(HOST):$(PORT)/ - log in with one of the accounts above."
	@echo "(They are also kept in instance/demo-accounts.txt.) Pupils answer at http://$(HOST):$(PORT)/e"
	@echo "with a questionnaire's code. Stop with Ctrl+C."
	@echo "Failed logins are counted in $${MVP_RATELIMIT_STORAGE_URI:-memory://} (memory:// counts in this one process);"
	@echo "with several workers or servers set MVP_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 so they share the counts."
	@echo ""
	$(BIN)/flask --app mvp run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

install: $(STAMP) $(COMPILED) $(NODE_STAMP)

$(STAMP): setup.cfg pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	if command -v $(NPM) >/dev/null; then $(NPM) ci --no-audit --no-fund --ignore-scripts \
		&& touch $(NODE_STAMP); else echo "npm missing: the browser tests' HTML check is skipped"; fi

# Compiled catalogs are built, not committed.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# After changing user-facing strings: extract them, then translate the new ones in the .po files.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o mvp/translations/messages.pot .
	$(BIN)/pybabel update -i mvp/translations/messages.pot -d mvp/translations \
		--no-fuzzy-matching --width 100

translations: $(COMPILED)

# The evaluation at municipality scale, every figure beside its floor (a throwaway database).
bench: install
	$(BIN)/flask --app mvp bench --scale municipality

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) *.egg-info
	find . -name __pycache__ -prune -exec rm -rf {} +
