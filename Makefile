# Two entry points for a fresh machine (see README): `make run` and `make test`.
# torch is installed first and pinned by constraints.txt, so nothing pulls a multi-GB CUDA build.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CHROMIUM := /usr/bin/chromium
# The browser tests drive Debian's chromium; apt needs root, so use sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test ingest bench calibrate

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

# Re-choose the answerer's weights and threshold on every tunable set, each asked of its own corpus (the real
# documents read from ../shared/corpora), and write guidance/answering/calibrated.json. About a minute.
CALIBRATION := $(or $(TMPDIR),/tmp)/guidance-calibration
calibrate: install
	rm -rf $(CALIBRATION)
	$(PY) scripts/eval_corpus.py calibration-real $(CALIBRATION)/real-corpus
	$(VENV)/bin/guidance ingest corpus --index-dir $(CALIBRATION)/seed-index
	$(VENV)/bin/guidance ingest $(CALIBRATION)/real-corpus --index-dir $(CALIBRATION)/real-index
	$(VENV)/bin/guidance calibrate evals/calibration.jsonl evals/calibration-paraphrases.jsonl evals/calibration-real.jsonl \
		evals/calibration-scenarios.jsonl --index-dir $(CALIBRATION)/seed-index --index-dir $(CALIBRATION)/seed-index \
		--index-dir $(CALIBRATION)/real-index --index-dir $(CALIBRATION)/real-index
