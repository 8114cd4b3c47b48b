# missilekg: the two commands in the README are `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= data/store
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install browser virtuoso build serve test typecheck lint clean bench-inference bench-inference-quick bench-endpoint bench-ingest bench-scale bench-updates load-test load-soak

$(BIN)/missilekg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/missilekg

build: install
	$(BIN)/missilekg --store $(STORE) build

serve: build
	$(BIN)/missilekg --store $(STORE) serve --host $(HOST) --port $(PORT)

browser:
	tests/install-chromium.sh

virtuoso:
	tests/install-virtuoso.sh

test: install browser virtuoso typecheck
	$(BIN)/ruff check .
	$(BIN)/python -m pytest ontology graph loaders server tests

# mypy reads the package as installed (missilekg.graph, ...): the folders are linked under that name first.
typecheck: install
	@mkdir -p build/typecheck/missilekg
	@for room in ontology graph loaders server; do ln -sfn ../../../$$room build/typecheck/missilekg/$$room; done
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml --python-executable ../../$(BIN)/python -p missilekg

# Every row, 10M triples inferred end to end included (that one alone: about 12 minutes and 10 GiB).
bench-inference: install
	$(BIN)/python benchmarks/inference.py --huge

# The same without the 10M row.
bench-inference-quick: install
	$(BIN)/python benchmarks/inference.py

bench-scale: install virtuoso
	$(BIN)/python benchmarks/scale.py

bench-ingest: install
	$(BIN)/python benchmarks/ingest.py

bench-endpoint: install
	$(BIN)/python benchmarks/endpoint.py

load-test: install
	$(BIN)/python benchmarks/load.py

load-soak: install
	$(BIN)/python benchmarks/load.py --soak

bench-updates: install
	$(BIN)/python benchmarks/updates.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data build *.egg-info
