# Two entry points for a fresh machine (see README): `make run` and `make test`.
# torch is installed first and pinned by constraints.txt, so nothing pulls a multi-GB CUDA build.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CHROMIUM := /usr/bin/chromium
# The browser tests drive Debian's chromium; apt needs root, so use sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test ingest bench calibration-indexes calibrate adapt

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

# Performance figures against same-run baselines (README, "Performance and scale-out"; every run: docs/performance.md); about 9 min on 2 cores.
bench: $(VENV)/.installed-bench
	$(PY) -m benchmarks.run

# The tunable sets, each with the index it is asked of: the shipped corpus, or it plus three real councils'
# documents read from ../shared/corpora (built once into $(CALIBRATION) by calibration-indexes).
CALIBRATION := $(or $(TMPDIR),/tmp)/guidance-calibration
SEED_INDEX := $(CALIBRATION)/seed-index
REAL_INDEX := $(CALIBRATION)/real-index
calibration-indexes: install
	rm -rf $(CALIBRATION)
	$(PY) scripts/eval_corpus.py calibration-real $(CALIBRATION)/real-corpus
	$(VENV)/bin/guidance ingest corpus --index-dir $(SEED_INDEX)
	$(VENV)/bin/guidance ingest $(CALIBRATION)/real-corpus --index-dir $(REAL_INDEX)

# Re-choose the answerer's weights and threshold on the four tunable sets calibration uses and write
# guidance/answering/calibrated.json. About a minute.
calibrate: calibration-indexes
	$(VENV)/bin/guidance calibrate evals/calibration.jsonl evals/calibration-paraphrases.jsonl evals/calibration-real.jsonl \
		evals/calibration-scenarios.jsonl --index-dir $(SEED_INDEX) --index-dir $(SEED_INDEX) \
		--index-dir $(REAL_INDEX) --index-dir $(REAL_INDEX)

# Fine-tune the embedding model on all five tunable sets and calibrate it on the half its first model did not
# learn (scripts/adapt_encoder.py), into $(ADAPTED); answer with it through GUIDANCE_EMBEDDING_MODEL=$(ADAPTED)
# after re-running guidance ingest. About ten minutes on two cores.
ADAPTED ?= .models/adapted-minilm
adapt: calibration-indexes
	$(PY) -m scripts.adapt_encoder evals/calibration.jsonl=$(SEED_INDEX) evals/calibration-paraphrases.jsonl=$(SEED_INDEX) \
		evals/calibration-document-facts.jsonl=$(SEED_INDEX) evals/calibration-real.jsonl=$(REAL_INDEX) \
		evals/calibration-scenarios.jsonl=$(REAL_INDEX) --out $(ADAPTED)
