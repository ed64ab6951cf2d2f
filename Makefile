# Tracer — the few commands you need. `make help` lists them.
.PHONY: help run test setup train lint lock screenshots

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

run:  ## Set up if needed, train if needed, run bot + action server + web chat on localhost
	@bash scripts/run.sh

test:  ## Set up if needed, then lint, validate data, run pytest and Rasa test stories
	@bash scripts/test.sh

setup:  ## Create .venv with the pinned dependencies (fast no-op when done)
	@bash scripts/setup.sh

train:  ## Train the Rasa model if config/domain/data changed
	@bash scripts/train.sh

lint:  ## ruff check + ruff format --check + mypy
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

lock:  ## Re-resolve pyproject.toml's dependencies into requirements/runtime.txt + dev.txt (UPGRADE=1: newest)
	@bash scripts/lock.sh

screenshots:  ## Re-take the screenshots in docs/ (browser tests; `make test` writes them to test-artifacts/)
	@TRACER_UPDATE_SCREENSHOTS=1 bash scripts/test.sh tests/e2e/test_report_browser.py \
	  tests/e2e/test_report_languages_browser.py tests/e2e/test_console_browser.py
