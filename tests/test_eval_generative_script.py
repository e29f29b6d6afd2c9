"""``scripts/eval_generative.py`` run as officers run it, a real process on the real index. The language model is
the tests' scripted OpenAI stand-in (``--standin``), because no hosted model can run here; the extractive run
beside it is the real answerer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STARTER = REPO / "evals" / "starter.jsonl"


def test_it_runs_both_answerers_and_saves_a_run_folder_for_each(seed_index_dir, tmp_path):
    small_set = tmp_path / "three.jsonl"
    small_set.write_text("".join(STARTER.read_text(encoding="utf-8").splitlines(keepends=True)[:3]), encoding="utf-8")
    runs_dir = tmp_path / "runs"
    done = subprocess.run(
        [sys.executable, "-m", "scripts.eval_generative", str(small_set), "--standin", "--index-dir", str(seed_index_dir)],
        cwd=REPO, env={**os.environ, "GUIDANCE_EVAL_RUNS_DIR": str(runs_dir)}, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert list(runs)[0] == "extractive" and len(runs) == 2
    for run in runs.values():
        folder = Path(run["folder"])
        assert folder.parent == runs_dir and (folder / "aggregate.json").is_file()
        assert sum(run["modes"].values()) == 3
        assert run["metrics"]["answered_words_median"] is not None
    recorded = [json.loads((Path(run["folder"]) / "config.json").read_text())["backend"] for run in runs.values()]
    assert recorded == list(runs)  # each run's config names the answerer that answered it
    generative = runs[list(runs)[1]]
    assert generative["claims"]["kept"] + generative["claims"]["removed"] > 0
