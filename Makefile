# The two commands a newcomer needs: `make demo` and `make test`. See README.md.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install demo test test-sqlite test-postgres test-browser bench lint format messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/nongthon demo

test: install lint
	bash scripts/test.sh

bench: install
	$(BIN)/python -m bench.run

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

# Regenerate the English catalogue from the sources, then compile it (msgfmt not needed).
messages: install
	cd src/nongthon && ../../$(BIN)/nongthon makemessages -l en --no-obsolete --no-location
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) var .pytest_cache
