# Two commands on a fresh machine:  `make run` (baseline scenario) and `make test` (all tests).
# Both create the virtual environment in .venv on first use, with every extra installed.
# `make test-quick` skips the tests marked slow (each 30 s or more). `make docs` builds the
# documentation site into site/ (open site/index.html).
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-quick docs lint clean

$(STAMP): pyproject.toml setup.py
	@PY=$$(sh scripts/find_python.sh) || exit 1; \
	  test -x $(BIN)/python || "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# `swarmsim` was this project's distribution name before swarmsim-consumers (and is
	@# PyPI's robot-swarm simulator): either would shadow the `swarmsim` package.
	$(BIN)/python -m pip uninstall --quiet --yes swarmsim 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e '.[all]'
	@touch $@

run: $(STAMP)
	$(BIN)/swarmsim run scenarios/baseline.yaml --out results/baseline --overwrite

test: $(STAMP)
	sh scripts/run-tests.sh

# The site of mkdocs.yml, with the notebooks of experiments/ executed so that they show their
# outputs (about a minute more on 2 cores). tests/test_docs_site.py builds the same site,
# also with --strict, but does not execute the notebooks: tests/test_notebooks.py runs them.
# The two variables silence banners about MkDocs 2 and Material's end of life.
docs: $(STAMP)
	SWARMSIM_DOCS_EXECUTE=true NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true \
	  $(BIN)/mkdocs build --strict --site-dir site

test-quick: $(STAMP)
	sh scripts/run-tests.sh -m "not slow"

clean:
	rm -rf $(VENV) results site
