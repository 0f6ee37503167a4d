# dyads — every target installs what it needs; a fresh clone needs only `make demo` / `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install browser web demo test eval dist train train-venv cv bench lint clean

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

# The dashboard's graph libraries (sigma.js, graphology, ForceAtlas2), rebuilt from the npm lock file
# into src/dyads/serve/web/vendor/ with their licences. The bundle is committed: the wheel and
# `dyads serve` need no npm and no network; only this target does (Node.js and the npm registry).
# `npm ci` installs exactly the locked versions (no install scripts); the same lock gives the same bytes.
web:
	cd web-src && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs

demo: install
	$(BIN)/python -m dyads.demo examples/articles

test: install browser
	$(BIN)/python -m pytest

eval: install
	$(BIN)/dyads eval

# The sdist and the wheel, into dist/: models, data tables and web assets inside, so
# `pipx install dist/dyads-*.whl` runs offline with nothing from this checkout. The wheel is built
# from the sdist (python -m build's default), so a file the sdist misses is missing from the wheel
# too, and with the locked setuptools (--no-isolation), not whatever PyPI has that day.
dist: install
	rm -rf build dist/dyads-*
	$(BIN)/python -m build --no-isolation --outdir dist .
	@ls -l dist/dyads-*

TRAIN_PY := .venv-train/bin/python

train-venv:
	@test -x $(TRAIN_PY) || $(PY) -m venv .venv-train
	$(TRAIN_PY) -m pip install -q -r train/requirements.txt

# Every shipped model, rebuilt with fixed seeds: the relation classifier and the event detector.
train: install train-venv
	$(BIN)/python train/detector_data.py
	$(TRAIN_PY) train/train_relclf.py
	$(TRAIN_PY) train/train_detector.py

# Fold models for the held-out figures: each fold's detector and relation classifier trained
# without that fold (dyads.e2e.fold_of), then the end-to-end figures on plv_train and the corpus
# (scripts/eval_e2e.py --cv) and the classifier's (train/eval_relclf_folds.py). About 1.5 h on 2 cores.
CV_DIR ?= train/cache/cv
cv: install train-venv
	$(BIN)/python train/detector_data.py
	for k in 0 1 2 3 4; do \
	  $(TRAIN_PY) train/train_detector.py --exclude-fold $$k --out $(CV_DIR)/detector-f$$k && \
	  $(TRAIN_PY) train/train_relclf.py --exclude-fold $$k --out $(CV_DIR)/relclf-f$$k || exit 1; \
	done
	$(BIN)/python scripts/eval_e2e.py --cv $(CV_DIR)
	$(BIN)/python train/eval_relclf_folds.py $(CV_DIR) --fit-calibration

# serve_bench --full: the new server and the old one side by side on 100k and 1M events, SQLite and a
# throwaway PostgreSQL cluster (skipped with a message when it cannot start); the longest part.
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/serve_bench.py --full
	$(BIN)/python bench/watch_bench.py
	$(BIN)/python bench/alerts_bench.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info src/*.egg-info
