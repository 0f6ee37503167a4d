# dyads — every target installs what it needs; a fresh clone needs only `make demo` / `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install browser demo test eval train bench lint clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# Headless Chromium for the dashboard tests: Debian's package (Playwright's own browser download is
# never used). Installs only when missing; needs root or sudo, as on the dev and CI machines.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q --no-install-recommends chromium >/dev/null; }; }
	@chromium --version 2>/dev/null

demo: install
	$(BIN)/python -m dyads.demo examples/articles

test: install browser
	$(BIN)/python -m pytest

eval: install
	$(BIN)/dyads eval

train:
	@test -x .venv-train/bin/python || $(PY) -m venv .venv-train
	.venv-train/bin/python -m pip install -q -r train/requirements.txt
	.venv-train/bin/python train/train_relclf.py

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/serve_bench.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info
