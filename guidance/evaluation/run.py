"""Run: the steps the CLI and the officers' page share — check a set against the index, generate,
score and report into a run folder, or re-score an existing answers file.

Beside ``answers.jsonl`` each run folder keeps ``config.json``: the resolved settings (secrets masked), the
language model, the embedding model, the answerer's scoring settings (and the calibration file they came from) and
the index build it answered from.
"""

from __future__ import annotations

import errno
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from guidance.evaluation.dataset import EvalCase, EvalSetError
from guidance.evaluation.generate import Askable, GeneratedAnswer, SelfDescribing, generate_answers, read_answers, write_answers
from guidance.evaluation.metrics import QuestionScore, score_answers, section_matches
from guidance.evaluation.report import RunFiles, RunSummary, summarise, write_report
from guidance.settings import Settings
from ingest.index import StoredIndex
from ingest.sections.records import unknown_section_hint

RUN_CONFIG = "config.json"


# A file name may be 255 bytes on the usual file systems (ext4, NTFS, APFS); the time stamp takes the rest.
STAMP = "-%Y%m%d-%H%M%S-%f"
NAME_BYTES = 255 - len(datetime.now().strftime(STAMP))


def new_run_folder(runs_dir: Path, set_name: str) -> Path:
    """A new folder in ``runs_dir`` (the settings' ``GUIDANCE_EVAL_RUNS_DIR``, by default ``eval-runs/``), named
    after the set, shortened so that any set's name gives a name the file system accepts."""
    stem = Path(set_name).stem.encode("utf-8")[:NAME_BYTES].decode("utf-8", errors="ignore")
    return runs_dir / f"{stem}{datetime.now().strftime(STAMP)}"


def check_run_folder(folder: Path) -> None:
    """Make ``folder`` ready for a run's files, before any question is asked (a run takes minutes, and its answers
    must not be lost to a folder that cannot be written); else ``EvalSetError``. The folder must be new or empty:
    a run writes six files, and would write over an earlier run's, or an officer's own, of the same names."""
    try:
        if folder.exists() and not folder.is_dir():
            raise EvalSetError(f"{folder} is a file, not a folder; give a new or empty folder to write the run into.")
        if folder.is_dir() and (held := sorted(path.name for path in folder.iterdir())):
            raise EvalSetError(_not_empty(folder, held))
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise EvalSetError(f"The run's results cannot be written to {folder}: {_os_reason(error)}.") from error


def _not_empty(folder: Path, held: list[str]) -> str:
    if RunFiles(folder).answers.name in held:
        return f"{folder} already holds a run; give a new or empty folder to write this one into."
    shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
    return (f"{folder} is not empty (it holds {shown}); give a new or empty folder to write the run into, so that "
            "nothing already there is written over.")


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return "a name in that path is longer than the file system allows; give a shorter one"
    return error.strerror or str(error)


def past_runs(runs_dir: Path) -> list[Path]:
    """Finished run folders in ``runs_dir``, newest first."""
    folders = runs_dir.glob("*/aggregate.json") if runs_dir.is_dir() else []
    return sorted((path.parent for path in folders), key=lambda folder: folder.stat().st_mtime, reverse=True)


def index_sources(index: StoredIndex) -> dict[str, str]:
    """Document id → full source text, which quotes are checked against."""
    return {document.doc_id: index.source_text(document.doc_id) for document in index.documents}


def check_sections_exist(cases: list[EvalCase], index: StoredIndex, set_name: str) -> None:
    """Raise ``EvalSetError`` if a case expects a section the index does not have (usually a typo).

    A set written against a document's own numbering may name a finer paragraph than the index divides the
    document into ("code#10.2.a" where the index has "code#10.2"); that is known, as part of its enclosing section.
    A paragraph the index divides into its sub-paragraphs ("code#10" where it has "code#10.1", "code#10.2") is
    known by its parts.
    """
    known = sorted({chunk.section_id for chunk in index.chunks})
    for case in cases:
        for expected in case.expected_sections:
            if not _is_known(expected, known):
                raise EvalSetError(
                    f"{set_name}, case {case.id!r}, field 'expected_sections': {expected!r} is not a section of the "
                    f"indexed documents; {unknown_section_hint(expected, known)}"
                )


def _is_known(expected: str, known: list[str]) -> bool:
    """Whether ``expected`` is a known section, lies within one, or is divided into known ones."""
    return any(section_matches(enclosing, section) for enclosing in enclosing_sections(expected) for section in known) \
        or any(section_matches(expected, enclosing) for section in known for enclosing in enclosing_sections(section))


def enclosing_sections(section_id: str) -> list[str]:
    """The section and those its number lies within: "doc#10.2.a" → "doc#10.2.a", "doc#10.2", "doc#10"."""
    document, hash_, number = section_id.rpartition("#")
    parts = number.split(".")
    return [f"{document}{hash_}{'.'.join(parts[:depth])}" for depth in range(len(parts), 0, -1)]


def write_run_config(path: Path, answerer: Askable, index: StoredIndex, settings: Settings) -> None:
    """Record what produced a run's answers: the settings, what the answerer says it is (``Assistant.described``;
    a baseline that does not describe itself records nothing more) and the index build."""
    described = answerer.described() if isinstance(answerer, SelfDescribing) else {}
    record = {"settings": settings.recorded(), **described,
              "index": {"dir": str(index.build_dir.parent.parent), **asdict(index.info)}}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")


def run_eval(
    cases: list[EvalCase],
    set_name: str,
    answerer: Askable,
    answerer_name: str,
    index: StoredIndex,
    folder: Path,
    settings: Settings,
    on_answer: Callable[[GeneratedAnswer], None] | None = None,
) -> tuple[list[QuestionScore], RunSummary]:
    """Answer every case, then score and report into ``folder``; the set is checked before any question is asked."""
    check_sections_exist(cases, index, set_name)
    check_run_folder(folder)
    if hasattr(answerer, "warm_up"):
        answerer.warm_up()  # so the first question's latency is not the model loading
    started = time.perf_counter()
    generated = generate_answers(cases, answerer, on_answer)
    seconds = round(time.perf_counter() - started, 2)
    files = RunFiles(folder)
    write_answers(files.answers, generated)
    write_run_config(files.folder / RUN_CONFIG, answerer, index, settings)
    return _score_and_report(generated, files, index, set_name, answerer_name, seconds)


def evaluate_answers_file(answers_path: Path, index: StoredIndex, folder: Path) -> tuple[list[QuestionScore], RunSummary]:
    """Re-score an answers file (from an earlier run) without answering again, reporting into ``folder``."""
    generated = read_answers(answers_path)
    check_run_folder(folder)
    return _score_and_report(generated, RunFiles(folder), index, str(answers_path), "re-scored answers file", None)


def _score_and_report(
    generated: list[GeneratedAnswer], files: RunFiles, index: StoredIndex, set_name: str, answerer_name: str, seconds: float | None
) -> tuple[list[QuestionScore], RunSummary]:
    scores = score_answers(generated, index_sources(index))
    summary = summarise(scores, set_name, answerer_name, f"{datetime.now():%Y-%m-%d %H:%M:%S}", seconds)
    write_report(files, scores, summary)
    return scores, summary
