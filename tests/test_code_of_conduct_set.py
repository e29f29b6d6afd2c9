"""The held-out Code of Conduct set (`evals/code-of-conduct.jsonl`) asked of the corpus it was written for: the
shipped documents plus the Welsh model Code of Conduct read from ../shared/corpora, built by the same script an
officer runs (`scripts/eval_corpus.py code-of-conduct`), through the real CLI.

It checks that the set is valid against what the parser makes of the code (every expected section is known) and
that every quote is verbatim. Its quality figures are reported, not gated here: the set is held out, never tuned on.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from guidance.cli.main import app
from tests.conftest import REPO
from tests.corpus_helpers import eval_corpus_builder

SET = REPO / "evals" / "code-of-conduct.jsonl"


def guidance(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_the_code_of_conduct_set_runs_on_its_corpus_with_verbatim_quotes(shared_corpora, tmp_path):
    builder = eval_corpus_builder()
    corpus = builder.build("code-of-conduct", tmp_path / "corpus", shared_corpora)
    ingested = guidance("ingest", corpus, "--index-dir", tmp_path / "index")
    assert ingested.exit_code == 0, ingested.output

    result = guidance("eval", "run", SET, "--out", tmp_path / "run", "--index-dir", tmp_path / "index")

    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "run" / "aggregate.json").read_text())["metrics"]
    assert metrics["questions"] == 83
    assert metrics["quote_fidelity"] == 1.0
    cited = {c["doc_id"] for line in (tmp_path / "run" / "answers.jsonl").read_text().splitlines()
             for c in json.loads(line)["answer"]["citations"]}
    assert "code-of-conduct" in cited  # the code is loaded and answered from, not "not loaded"
