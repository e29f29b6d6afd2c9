"""Likeness: how much nearer a question is to questions officers found the documents do not answer than to
questions they do answer.

A near-domain question ("when is the next full council meeting?", "do councillors get a pension?") shares words
and meaning with some passage, so its best quote can score as high as a real answer's. What gives it away is
the kind of question it is: it is like the questions officers asked that the documents did not answer (the
calibration sets' "decline" cases) more than like those they did. Its likeness is the mean cosine similarity
of the question to its ``NEAREST`` nearest decline questions less that to its nearest answer questions; the
answerer then asks for a quote scoring ``likeness_weight`` × likeness above its threshold (less, when the
likeness is negative), and says in ``Answer.reasons`` which labelled question it was most like.

``guidance calibrate`` chooses the weight, measuring each question only against the labelled questions asked
of other indexes (as if its documents were new), and writes every labelled question beside the calibration
(``labelled_path``). Their vectors depend on the embedding model, so they are embedded once per model and
question list and kept in the embedding cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from guidance.files import replace_file, replace_text
from ingest.embedding import Embedder

NEAREST = 3
LABELLED_FILE = "labelled-questions.json"


def labelled_path(calibration_file: Path) -> Path:
    """The labelled questions a calibration was chosen on, beside its file."""
    return Path(calibration_file).with_name(LABELLED_FILE)


def likeness_values(similarities: np.ndarray, declined: np.ndarray) -> np.ndarray:
    """For each row of question-to-labelled ``similarities``: mean of the ``NEAREST`` highest towards decline
    questions less that towards answer questions; NaN in a column marks a labelled question to leave out, and a
    row with either kind wholly left out has likeness 0."""
    def nearest(columns: np.ndarray) -> np.ndarray:
        ranked = -np.sort(-np.nan_to_num(columns, nan=-np.inf), axis=1)[:, :NEAREST]
        kept = np.isfinite(ranked)
        counts = kept.sum(axis=1)
        # NaN where a row keeps none (np.nanmean would warn "Mean of empty slice" on every calibration)
        return np.divide(np.where(kept, ranked, 0.0).sum(axis=1), counts, out=np.full(len(columns), np.nan),
                         where=counts > 0)

    values = nearest(similarities[:, declined]) - nearest(similarities[:, ~declined])
    return np.nan_to_num(values, nan=0.0)


@dataclass(frozen=True)
class Likeness:
    value: float
    nearest_decline: str  # the labelled decline question the question is most like
    nearest_answer: str

    def explain(self, weight: float) -> str:
        side = f"like “{self.nearest_decline}”, which the documents do not answer" if self.value > 0 else \
            f"like “{self.nearest_answer}”, which they answer"
        return f"likeness to unanswered questions {self.value:+.2f} × {weight:g} ({side})"


class LabelledQuestions:
    def __init__(self, questions: list[str], declined: list[bool], vectors: np.ndarray):
        self.questions = questions
        self.declined = np.asarray(declined, dtype=bool)
        self.vectors = vectors

    def likeness(self, vector: np.ndarray) -> Likeness | None:
        """None unless there are questions of both kinds."""
        if self.declined.all() or not self.declined.any():
            return None
        similarities = self.vectors @ vector
        value = float(likeness_values(similarities[None, :], self.declined)[0])

        def nearest(of_kind: np.ndarray) -> str:
            return self.questions[int(np.argmax(np.where(of_kind, similarities, -np.inf)))]

        return Likeness(value, nearest(self.declined), nearest(~self.declined))


def _rows(path: Path) -> list[dict]:
    rows = json.loads(path.read_text(encoding="utf-8"))

    def labelled(row) -> bool:
        return (isinstance(row, dict) and isinstance(row.get("question"), str)
                and row.get("behaviour") in ("answer", "decline"))

    if not isinstance(rows, list) or not all(labelled(row) for row in rows):
        raise ValueError("it should be a list of questions, each with its behaviour, answer or decline")
    return rows


def labelled_problem(path: Path) -> str | None:
    """What is wrong with a labelled-questions file, or None if it is absent or as ``write_labelled`` writes it."""
    if not path.is_file():
        return None
    try:
        _rows(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"cannot be read ({error})"
    except ValueError as error:
        return f"is not a list of labelled questions: {error}"
    return None


def write_labelled(labelled: list[tuple[str, bool]], path: Path) -> Path:
    """Write (question, declined) pairs to ``path``, atomically."""
    rows = [{"question": question, "behaviour": "decline" if declined else "answer"} for question, declined in labelled]
    return replace_text(path, json.dumps(rows, indent=1, ensure_ascii=False) + "\n")


def load_labelled(path: Path, embedder: Embedder, embed) -> LabelledQuestions | None:
    """The labelled questions in ``path`` with their vectors (``embed``, cached by model and questions); None
    when there is no such file."""
    if not path.is_file():
        return None
    rows = _rows(path)
    questions = [row["question"] for row in rows]
    declined = [row["behaviour"] == "decline" for row in rows]
    key = hashlib.sha256(json.dumps([embedder.label, questions]).encode("utf-8")).hexdigest()[:20]
    cached = Path(embedder.cache_dir) / "labelled-questions" / f"{key}.npy"
    try:
        vectors = np.load(cached)
    except (OSError, ValueError):
        vectors = embed(questions)
        try:
            replace_file(cached, lambda out: np.save(out, vectors))
        except OSError:
            pass  # a read-only cache costs one embedding per process, nothing else
    return LabelledQuestions(questions, declined, vectors)
