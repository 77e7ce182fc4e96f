# Two commands on a fresh machine: `make run` and `make test`. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PLAN   ?= plan.yaml

.PHONY: run test lint bench fuzz schema screenshots clean help mutate mutate-all mutate-sample counts

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp depends on pyproject.toml, so a changed dependency list reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed  ## Create the environment, install, show the plan's status
	$(BIN)/jtai status --plan $(PLAN)
	@printf '%s\n' '' \
	  "jtai is installed in $(VENV), which is not on your PATH yet. To type plain 'jtai':" \
	  '  . $(VENV)/bin/activate           Linux and macOS, once per terminal' \
	  '  $(VENV)\Scripts\activate         Windows' \
	  '  pipx install --editable .      or install it for your user, in every terminal'

test: $(VENV)/.installed-dev  ## Install the test tools and run the whole test suite
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev  ## ruff and mypy
	$(BIN)/ruff check src tests
	$(BIN)/mypy

bench: $(VENV)/.installed-dev  ## Time jtai on synthetic plans of 20 to 100,000 actions; writes bench/results.md
	$(BIN)/python bench/run_bench.py

screenshots: $(VENV)/.installed-dev  ## Redraw docs/guide-*.png (LibreOffice, pdftoppm, Chromium)
	$(BIN)/python docs/make_screenshots.py

FUZZ_RUNS ?= 20000

fuzz: $(VENV)/.installed-dev  ## Fuzz the loader and lint rules with atheris (FUZZ_RUNS=N); crashes land in fuzz-crash-*
	$(BIN)/python -m pip install --quiet 'atheris>=2.3'
	$(BIN)/python tests/fuzz/fuzz_loader.py -runs=$(FUZZ_RUNS) -artifact_prefix=fuzz-crash- tests/hostile

MUTATE_JOBS ?= 2
MUTATE_PATHS ?=
MUTATE_TESTS ?=
export MUTATE_TESTS
MUTATE := nice -n 19 $(BIN)/python bench/mutate.py

# Not part of `make test` or CI: mutmut 3 over the modules that read, write or transform the
# plan's data (pyproject.toml [tool.mutmut]); bench/mutation.md says what the last run found
# and how long each part takes. A whole run no longer fits a session on two shared cores:
# `make mutate` runs the modules changed since bench/mutation-baseline, or those named.
mutate: $(VENV)/.installed-dev  ## Mutation testing of what changed since bench/mutation-baseline (MUTATE_PATHS="src/..." to choose, MUTATE_TESTS="tests/..." to narrow, MUTATE_JOBS=N)
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	rm -rf mutants
	$(MUTATE) $(if $(strip $(MUTATE_PATHS)),paths $(MUTATE_PATHS),changed) --max-children $(MUTATE_JOBS)

# When the modules named do not finish in a session, stop `make mutate MUTATE_PATHS=...` and
# draw a sample of what it left unchecked (same MUTATE_TESTS): the score comes with a margin.
MUTATE_SAMPLE ?= 400
mutate-sample: $(VENV)/.installed-dev  ## After a stopped `make mutate MUTATE_PATHS=...`: MUTATE_SAMPLE random unchecked mutants of it, and the estimated score
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	$(MUTATE) sample $(MUTATE_SAMPLE) $(MUTATE_PATHS) --max-children $(MUTATE_JOBS)

mutate-all: $(VENV)/.installed-dev  ## Mutation testing of the whole scope (an hour or more on a shared machine)
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	rm -rf mutants
	$(MUTATE) run --max-children $(MUTATE_JOBS)
	$(BIN)/python bench/mutation_score.py

counts: $(VENV)/.installed-dev  ## Print how many generated cases of each kind the property tests ran
	$(BIN)/python bench/property_counts.py

schema: $(VENV)/.installed  ## Regenerate the committed JSON Schema from the models
	$(BIN)/jtai schema > schema/plan.schema.json
	$(BIN)/jtai schema --agencies > schema/agencies.schema.json

clean:  ## Remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis fuzz-crash-* mutants
