"""Extractive vs generative on an eval set, and the share of generative claims the citation checker removed.

    .venv/bin/python -m scripts.eval_generative evals/starter.jsonl --standin
    GUIDANCE_LLM=llamacpp GUIDANCE_LLM_MODEL=/path/model.gguf .venv/bin/python -m scripts.eval_generative evals/starter.jsonl

With ``--standin`` the generative run uses the scripted OpenAI stand-in from the tests (a faithful script,
not a model); otherwise the backend set in the environment. Run folders go where ``guidance eval`` puts them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from guidance.answering.assistant import Assistant
from guidance.backends import BackendSettings
from guidance.evaluation.dataset import load_eval_set
from guidance.evaluation.run import new_run_folder, run_eval
from guidance.settings import load_settings
from ingest.index import open_index

SHOWN = ("pass_rate", "hit_rate", "citation_precision", "quote_fidelity", "must_mention_pass_rate",
         "must_not_mention_pass_rate", "decline_accuracy", "false_decline_rate", "latency_p50_ms", "answer_words_mean",
         "answered_words_median")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_set")
    parser.add_argument("--standin", action="store_true", help="Use the scripted OpenAI stand-in from tests/.")
    parser.add_argument("--index-dir", default=None)
    args = parser.parse_args()
    configured = load_settings()
    index = open_index(Path(args.index_dir or configured.index_dir), configured.chroma_url)
    cases = load_eval_set(args.eval_set)
    with contextlib.ExitStack() as stack:
        settings = configured.backend()
        if args.standin:
            from tests.openai_standin import StandIn

            standin = stack.enter_context(StandIn())
            settings = replace(settings, name="openai", url=standin.url, model="standin")
        runs = {}
        for name, backend in (("extractive", BackendSettings()), (settings.label, settings)):
            assistant = Assistant(index, backend, configured.embedder())
            assistant.warm_up()
            if assistant.generative:
                assistant.generative.claims.clear()  # count the set's questions only, not the warm-up
            folder = new_run_folder(configured.eval_runs_dir,
                                    f"{Path(args.eval_set).stem}-{name.replace(':', '-').replace('/', '-')}.jsonl")
            # Already warm, so that run_eval does not warm it again (the warm-up's claims would count).
            answerer = SimpleNamespace(ask=assistant.ask, described=assistant.described)
            modes = Counter()
            _, summary = run_eval(cases, args.eval_set, answerer, name, index, folder, configured,
                                  on_answer=lambda generated: modes.update([generated.answer.mode]))
            runs[name] = {"metrics": {k: summary.metrics.get(k) for k in SHOWN}, "modes": modes, "folder": str(folder)}
            if assistant.generative:
                claims = assistant.generative.claims
                total = claims["kept"] + claims["removed"]
                runs[name]["claims"] = {**claims, "removed_share": round(claims["removed"] / total, 3) if total else None}
    print(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
