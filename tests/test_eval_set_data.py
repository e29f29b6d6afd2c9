"""The tunable eval sets' data, and the held-out set over other real documents (``heldout-real.jsonl``), checked against the corpus each is asked of, as parsed by the real ingest reader:
every expected section exists, every `must_mention` regex matches its expected sections' text, no answer's
`must_not_mention` matches that text, and no decline's `must_not_mention` matches anywhere in the corpus (so a
decline is never failed for quoting the documents). `calibration-real.jsonl`, `calibration-scenarios.jsonl` and `calibration-broad.jsonl` are
asked of the seed plus real documents from ../shared/corpora, built by the script an officer runs
(`scripts/eval_corpus.py calibration-real`); `heldout-real.jsonl` is asked of the seed plus three others
(`scripts/eval_corpus.py heldout-real`), `online-strategy.jsonl` of the seed plus an online strategy
(`scripts/eval_corpus.py online-strategy`). Checking a held-out set's data against its documents is not tuning on it.
"""

from __future__ import annotations

import re

import pytest

from ingest.pipeline import read_corpus
from guidance.evaluation.dataset import load_eval_set
from tests.conftest import CORPUS, REPO
from tests.corpus_helpers import eval_corpus_builder

# Each set → the eval corpus it is written against (None: the shipped corpus alone).
SETS = {"calibration.jsonl": None, "calibration-paraphrases.jsonl": None, "calibration-real.jsonl": "calibration-real",
        "calibration-scenarios.jsonl": "calibration-real", "calibration-broad.jsonl": "calibration-real",
        "calibration-document-facts.jsonl": None,
        "heldout-real.jsonl": "heldout-real", "online-strategy.jsonl": "online-strategy"}


@pytest.fixture(params=sorted(SETS))
def eval_set_and_corpus(request, tmp_path):
    """(cases, {qualified section id: its text}, [each document's full text]) for one set and its corpus."""
    corpus_name = SETS[request.param]
    folder = CORPUS
    if corpus_name is not None:
        shared = request.getfixturevalue("shared_corpora")
        folder = eval_corpus_builder().build(corpus_name, tmp_path / "corpus", shared)
    documents, skipped = read_corpus(folder)
    assert not skipped, skipped
    sections = {f"{document.doc_id}#{section.key}": "\n".join(passage.text for passage in section.passages)
                for document in documents for section in document.sections}
    return load_eval_set(REPO / "evals" / request.param), sections, [document.text for document in documents]


def test_every_expected_section_exists_and_holds_the_words_its_answer_must_mention(eval_set_and_corpus):
    cases, sections, _ = eval_set_and_corpus
    problems = []
    for case in cases:
        unknown = [section for section in case.expected_sections if section not in sections]
        problems.extend(f"{case.id}: no section {section}" for section in unknown)
        text = "\n".join(sections.get(section, "") for section in case.expected_sections)
        problems.extend(f"{case.id}: /{pattern}/ is not in its expected sections" for pattern in case.must_mention
                        if not re.search(pattern, text, re.IGNORECASE))
        problems.extend(f"{case.id}: /{pattern}/ forbids words of its own expected sections"
                        for pattern in case.must_not_mention if re.search(pattern, text, re.IGNORECASE))
    assert not problems, "\n".join(problems)


def test_no_decline_forbids_words_the_corpus_contains(eval_set_and_corpus):
    cases, _, texts = eval_set_and_corpus
    corpus = "\n".join(texts)
    problems = [f"{case.id}: /{pattern}/ matches the corpus" for case in cases if case.behaviour == "decline"
                for pattern in case.must_not_mention if re.search(pattern, corpus, re.IGNORECASE)]
    assert not problems, "\n".join(problems)
