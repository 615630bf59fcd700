# factcheck: `make serve` sets up and serves the app; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVE_STAMP := $(VENV)/.serve-stamp
STAMP := $(VENV)/.installed-stamp
LOG := $(VENV)/install.log
# pip's output goes to $(LOG); it is shown only when the install fails.
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input

.PHONY: serve test lint format bench backup clean parse

$(BIN)/python:
	@echo "factcheck: creating $(VENV) ..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip >$(LOG) 2>&1 || { cat $(LOG); exit 1; }

# What serving needs (no test tools).
$(SERVE_STAMP): pyproject.toml | $(BIN)/python
	@echo "factcheck: installing factcheck and what it needs to serve into $(VENV) (first run: a minute or two) ..."
	@$(PIP) -e . >>$(LOG) 2>&1 || { cat $(LOG); echo "factcheck: the install failed (log above, kept in $(LOG))"; exit 1; }
	@echo "factcheck: installed."
	@touch $@

# Serving, plus the test tools (pytest, ruff, playwright ...).
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "factcheck: installing factcheck with its test tools into $(VENV) ..."
	@$(PIP) -e '.[test]' >>$(LOG) 2>&1 || { cat $(LOG); echo "factcheck: the install failed (log above, kept in $(LOG))"; exit 1; }
	@echo "factcheck: installed."
	@touch $@ $(SERVE_STAMP)

serve: $(SERVE_STAMP)
	@$(BIN)/factcheck serve

backup: $(SERVE_STAMP)
	@$(BIN)/factcheck backup

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# The optional spaCy parse step (EXTRACT_PARSER = "spacy"; about 220 MB): see the README.
parse: $(SERVE_STAMP)
	@echo "factcheck: installing the parse extra (spaCy and its English model) into $(VENV) ..."
	@$(PIP) -e '.[parse]' >>$(LOG) 2>&1 || { cat $(LOG); echo "factcheck: the install failed (log above, kept in $(LOG))"; exit 1; }
	@echo "factcheck: installed; set EXTRACT_PARSER = \"spacy\" to use it."

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
