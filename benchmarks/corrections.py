"""Officers' corrections measured: the match threshold calibrated, leave-one-out hit rates, and latency.

``python -m benchmarks.corrections calibrate``: on ``evals/calibration.jsonl`` and its paraphrases
(``evals/calibration-paraphrases.jsonl``), each answer question is corrected (to its first expected section)
and every question is asked with the corrections made from *other* questions loaded; the similarity threshold
chosen (with the focus-word tolerance) is the one with the best hit rate that captures no decline question and
keeps decline accuracy no lower than with no corrections at all; ties go to the strictest.
``loo SET``: the same leave-one-out at the shipped threshold on any set (the starter set is only run).
``latency``: warm p50/p95 of whole answers with 0, 100 and 1,000 corrections loaded, in one run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from guidance.config import EVALS_DIR, REPO_ROOT
from guidance.corrections.match import MatchSettings
from guidance.corrections.store import Correction, write_corrections
from guidance.evaluation.dataset import load_eval_set
from ingest.changes import section_fingerprints

RESULTS = REPO_ROOT / "benchmarks" / "results"
CALIBRATION = (EVALS_DIR / "calibration.jsonl", EVALS_DIR / "calibration-paraphrases.jsonl")
THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9)
TOLERANCES = (0, 1, 2)


def read_set(path: Path) -> list[dict]:
    """The set's cases as the eval commands read them (validated, any encoding), as plain rows."""
    return [case.model_dump() for case in load_eval_set(path)]


def correction_of(row: dict, fingerprints: dict[str, str], number: int) -> Correction:
    section = row["expected_sections"][0]
    return Correction(id=f"c{number}", question=row["question"], section=section, officer="benchmark",
                      created="2026-01-01T00:00:00+00:00", fingerprint=fingerprints[section])


def leave_one_out(assistant, rows: list[dict], path: Path) -> dict:
    """Each question asked with no corrections, then with those made from every other answer question."""
    fingerprints = section_fingerprints(assistant.index.chunks)
    made = {row["id"]: correction_of(row, fingerprints, n) for n, row in enumerate(rows) if row["behaviour"] == "answer"}
    outcome = {"without": [], "with": []}
    for row in rows:
        for setting, corrections in (("without", []), ("with", [c for key, c in made.items() if key != row["id"]])):
            write_corrections(path, corrections)
            answer = assistant.ask(row["question"])
            hit = bool(set(answer.cited_sections[:1]) & set(row["expected_sections"]))
            outcome[setting].append((row["behaviour"], answer.status, hit, answer.basis == "officer_correction"))
    return {setting: summary(results) for setting, results in outcome.items()}


def summary(results: list[tuple]) -> dict:
    answers = [r for r in results if r[0] == "answer"]
    declines = [r for r in results if r[0] == "decline"]
    corrected = [r for r in results if r[3]]
    return {"hit_rate": round(sum(r[2] for r in answers) / len(answers), 3),
            "decline_accuracy": round(sum(r[1] != "answered" for r in declines) / len(declines), 3) if declines else None,
            "from_corrections": len(corrected), "from_corrections_hit": sum(r[2] for r in corrected if r[0] == "answer"),
            "declines_captured": sum(r[0] == "decline" for r in corrected)}


def _assistant(corrections_file: Path, index_dir: Path | None = None):
    """The Assistant over the index given (a benchmark's), else the settings' (``GUIDANCE_INDEX_DIR``), answering
    with ``corrections_file``."""
    from guidance.answering.assistant import Assistant
    from guidance.settings import load_settings

    return Assistant.open(load_settings(), index_dir, corrections_file=corrections_file)


def calibrate(path: Path) -> dict:
    assistant = _assistant(path)
    rows = [row for set_path in CALIBRATION for row in read_set(set_path)]
    results = {}
    for threshold in THRESHOLDS:
        for tolerance in TOLERANCES:
            assistant.corrections.settings = MatchSettings(similarity=threshold, focus_tolerance=tolerance)
            results[(threshold, tolerance)] = leave_one_out(assistant, rows, path)
            print(threshold, tolerance, json.dumps(results[(threshold, tolerance)]), flush=True)
    baseline = next(iter(results.values()))["without"]["decline_accuracy"]
    allowed = [key for key, found in results.items()
               if found["with"]["decline_accuracy"] >= baseline and not found["with"]["declines_captured"]]
    # ties go to the strictest setting: a missed match costs only what retrieval would have said anyway
    best = max(allowed, key=lambda key: (results[key]["with"]["hit_rate"], key[0], -key[1]))
    return {"chosen": {"similarity": best[0], "focus_tolerance": best[1]},
            "by_setting": {f"{t}/{n}": found for (t, n), found in results.items()}}


def latency(path: Path, counts=(0, 100, 1000), rounds: int = 3, index_dir: Path | None = None) -> dict:
    """Warm whole-answer latency over the starter questions with ``counts`` corrections loaded. The counts take
    turns within each round, so a machine busy with other work slows them alike."""
    questions = [row["question"] for row in read_set(EVALS_DIR / "starter.jsonl")]
    sources = [row for set_path in CALIBRATION for row in read_set(set_path) if row["behaviour"] == "answer"]
    assistant = _assistant(path, index_dir)
    fingerprints = section_fingerprints(assistant.index.chunks)
    # distinct questions (each embedded), none a starter question: numbered variants of the calibration questions,
    # each for a section the index has (a benchmark's synthetic corpus names its copies' documents apart)
    sections = sorted(fingerprints)
    known = lambda row: row["expected_sections"][0] if row["expected_sections"][0] in fingerprints else sections[0]  # noqa: E731
    made = {count: [correction_of({**row, "question": f"{row['question']} (case {n})", "expected_sections": [known(row)]},
                                  fingerprints, n)
                    for n, row in zip(range(count), sources * (count // len(sources) + 1))] for count in counts}
    seconds, matching = {count: [] for count in counts}, {count: [] for count in counts}
    prepared = [assistant.prepare(question, []) for question in questions]
    loads, corrected = {}, {count: 0 for count in counts}
    for question in questions[:5]:
        assistant.ask(question)
    for _ in range(rounds):
        for count in counts:
            write_corrections(path, made[count])
            started = time.perf_counter()
            assistant.ask(questions[0])  # the reload: corrections read, new questions embedded (once per process)
            loads.setdefault(count, round(time.perf_counter() - started, 2))
            for question in questions:
                started = time.perf_counter()
                answer = assistant.ask(question)
                seconds[count].append(time.perf_counter() - started)
                corrected[count] += answer.basis == "officer_correction"
            for question in prepared:  # the matching step alone
                started = time.perf_counter()
                assistant.corrections.match(question.search_text, question.query_vector)
                matching[count].append(time.perf_counter() - started)
    return {count: {"p50_ms": round(float(np.percentile(seconds[count], 50)) * 1000, 2),
                    "p95_ms": round(float(np.percentile(seconds[count], 95)) * 1000, 2),
                    "match_p50_ms": round(float(np.percentile(matching[count], 50)) * 1000, 3),
                    "match_p95_ms": round(float(np.percentile(matching[count], 95)) * 1000, 3),
                    "first_load_s": loads[count], "answered_from_corrections": corrected[count],
                    "questions": len(seconds[count])} for count in counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["calibrate", "loo", "latency"])
    parser.add_argument("question_set", nargs="?", type=Path, default=EVALS_DIR / "starter.jsonl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corrections.yaml"
        if args.what == "calibrate":
            result = calibrate(path)
        elif args.what == "loo":
            result = leave_one_out(_assistant(path), read_set(args.question_set), path)
        else:
            result = latency(path)
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / "corrections-latency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
