# Two entry points for a fresh machine (see README): `make run` and `make test`.
# torch is installed first and pinned by constraints.txt, so nothing pulls a multi-GB CUDA build.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CHROMIUM := /usr/bin/chromium
# The browser tests drive Debian's chromium; apt needs root, so use sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test ingest bench

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt -e '.[bench]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(CHROMIUM)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

ingest: install
	$(VENV)/bin/guidance ingest

run: install
	$(VENV)/bin/streamlit run app.py

test: install-test
	bash scripts/run-tests.sh

# Performance figures against same-run baselines (README, "Performance and scale-out"); about 9 min on 2 cores.
bench: $(VENV)/.installed-bench
	$(PY) -m benchmarks.run
