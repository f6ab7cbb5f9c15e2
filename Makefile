# Two commands on a fresh machine:  `make run` (baseline scenario) and `make test` (all tests).
# Both create the virtual environment in .venv on first use. `make docs` builds the
# documentation site into site/ (open site/index.html).
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test docs lint clean

$(STAMP): pyproject.toml
	@PY=$$(sh scripts/find_python.sh) || exit 1; \
	  test -x $(BIN)/python || "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,viz,bench,docs]'
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

clean:
	rm -rf $(VENV) results site
