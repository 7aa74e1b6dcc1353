# Samenspel — the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test check lint typecheck format migrate demo-data console clean locales lock \
        eval-search bench-search bench-delivery bench-signup bench-load bench-updates bench-memory \
        reply-corpus screenshot-map bench-map

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)

# Re-install only when the project's declared dependencies change.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	@echo 'Installing Samenspel into $(VENV) …' >&2
	@$(PIP) install -c constraints.txt -e . >&2
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	@echo 'Installing Samenspel and its test tools into $(VENV) …' >&2
	@$(PIP) install -c constraints.txt -e '.[test]' >&2
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@$(BIN)/samenspel run

console: $(VENV)/.installed-run
	@$(BIN)/samenspel console

migrate: $(VENV)/.installed-run
	$(BIN)/samenspel migrate

demo-data: $(VENV)/.installed-run
	$(BIN)/samenspel demo-data

test: $(VENV)/.installed-test
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

check: lint typecheck test

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval-search: $(VENV)/.installed-test
	$(BIN)/python scripts/eval_search.py

bench-search: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_search.py

bench-delivery: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_delivery.py $(ARGS)

bench-load: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_load.py

bench-updates: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_updates.py $(ARGS)

bench-memory: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_memory.py $(ARGS)

reply-corpus: $(VENV)/.installed-test
	$(BIN)/python scripts/reply_corpus.py

# The map with the demo data, as a person sees it (needs Debian's chromium package).
screenshot-map: $(VENV)/.installed-test
	$(BIN)/python scripts/screenshot_map.py map.png

bench-map: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_map.py $(ARGS)

bench-signup: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_signup.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache

# Refresh the translation catalogs after adding or changing texts; then fill in the Dutch.
locales: $(VENV)/.installed-test
	$(BIN)/python scripts/update_catalogs.py

# Resolve pyproject's ranges afresh into constraints.txt (the versions every install uses).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip --disable-pip-version-check -q install -e '.[test]'
	{ sed -n '1,2p' constraints.txt; .lock-venv/bin/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf .lock-venv
