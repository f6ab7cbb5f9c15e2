# Two commands on a fresh machine:  `make run` (baseline scenario) and `make test` (all tests).
# Both create the virtual environment in .venv on first use.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint clean

$(STAMP): pyproject.toml
	@PY=$$(sh scripts/find_python.sh) || exit 1; \
	  test -x $(BIN)/python || "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,viz,bench]'
	@touch $@

run: $(STAMP)
	$(BIN)/swarmsim run scenarios/baseline.yaml --out results/baseline --overwrite

test: $(STAMP)
	sh scripts/run-tests.sh

clean:
	rm -rf $(VENV) results
