"""Adapt the embedding model to a council's documents: fine-tune all-MiniLM-L6-v2 on officers' eval questions,
and calibrate the answerer for it on questions it was not trained on.

    .venv/bin/python -m scripts.adapt_encoder evals/calibration.jsonl=SEED_INDEX \\
        evals/calibration-real.jsonl=REAL_INDEX --out .models/adapted-minilm
    GUIDANCE_EMBEDDING_MODEL=.models/adapted-minilm .venv/bin/guidance ingest corpus

Each answer question of the sets is paired with the passage of an expected section that says what the question
must mention (else the passage most like the question) and with the hardest passage of any other section, as
the model sees them (a chunk with its heading path, a quotable sentence with its context); the model learns
to place the question nearer the first than the second, and nearer it than every other question's passage in
its batch (multiple-negatives ranking loss, Henderson et al. 2017).

A model scores on its own scale, so it needs its own "not covered" threshold and weights, and they must come
from questions it did not learn (chosen on its training questions, the threshold declines a fifth of new
answer questions: docs/answer-quality.md, "Adapted encoder"). So the questions are split in two halves by a
hash of their ids; a first model is trained on one half, each set's corpus is embedded by it into a scratch
index, and ``guidance calibrate``'s search chooses the settings on the other half, answer and decline
questions alike. The model written to ``--out`` is then trained on every question, and the settings are saved
beside it as ``calibrated.json`` (with the questions they were chosen on, labelled, as ``labelled-questions.json``),
which answering loads whenever ``GUIDANCE_EMBEDDING_MODEL`` names the folder.
About ten minutes for the five tunable sets on two cores. The resolved arguments, the training and the
calibration's figures are saved beside the model as ``adapted.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import tempfile
from pathlib import Path

import numpy as np

from guidance.answering.calibrated import calibration_path
from guidance.evaluation.dataset import EvalCase, EvalSetError, load_eval_set
from guidance.evaluation.metrics import section_matches
from ingest.embedding import Embedder, packaged_model_label, sentence_model
from ingest.index import IndexMissing, StoredIndex, open_index

# Cosine similarities are scaled by this before the softmax, as sentence-transformers' loss does by default.
SIMILARITY_SCALE = 20.0


def _answering(positions: list[int], texts: list[str], vectors: np.ndarray, question: np.ndarray,
               must_mention: list[str]) -> int:
    """Of ``positions``, the one whose text says what the case must mention (any of it), else any; the one
    most similar to the question among those."""
    saying = [p for p in positions if any(re.search(m, texts[p], re.IGNORECASE) for m in must_mention)]
    return max(saying or positions, key=lambda p: float(vectors[p] @ question))


def training_triples(cases: list[EvalCase], index: StoredIndex, embed) -> list[tuple[str, str, str]]:
    """(question, a passage that answers it, the hardest passage that does not) for each answer question,
    once with the answering chunk and once with its answering sentence; passages are compared with the
    question by the vectors the index stored, so ``embed`` must be the model that built it."""
    chunk_vectors, sentence_vectors = np.asarray(index.chunk_vectors), np.asarray(index.sentence_vectors)
    chunk_bodies = [chunk.body for chunk in index.chunks]
    sentence_texts = [sentence.text for sentence in index.sentences]
    triples = []
    for case in cases:
        if case.behaviour != "answer" or not case.expected_sections:
            continue
        question = embed([case.question])[0]
        inside = np.array([any(section_matches(e, c.section_id) for e in case.expected_sections) for c in index.chunks])
        if not inside.any() or inside.all():
            continue
        answering_positions = [int(p) for p in np.flatnonzero(inside)]
        chunk = _answering(answering_positions, chunk_bodies, chunk_vectors, question, case.must_mention)
        others = np.flatnonzero(~inside)
        hardest = index.chunks[int(others[np.argmax(chunk_vectors[others] @ question)])].index_text
        triples.append((case.question, index.chunks[chunk].index_text, hardest))
        answering_chunks = {index.chunks[p].chunk_id for p in answering_positions}
        sentences = [p for p, s in enumerate(index.sentences) if s.chunk_id in answering_chunks]
        if sentences:
            sentence = _answering(sentences, sentence_texts, sentence_vectors, question, case.must_mention)
            triples.append((case.question, index.sentences[sentence].context, hardest))
    return triples


def fine_tune(triples: list[tuple[str, str, str]], out: Path, epochs: int, learning_rate: float, batch_size: int,
              seed: int) -> list[float]:
    """Train a fresh copy of the packaged model on ``triples`` and save it to ``out``; the loss of each epoch."""
    import torch
    from sentence_transformers import SentenceTransformer

    from ingest.onnx_encoder import packaged_model_dir

    random.seed(seed)
    torch.manual_seed(seed)
    model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate)

    def encode(texts: list[str]):
        return torch.nn.functional.normalize(model(model.preprocess(texts))["sentence_embedding"], dim=-1)

    losses, order = [], list(triples)
    for _ in range(epochs):
        random.shuffle(order)
        total = 0.0
        for at in range(0, len(order), batch_size):
            batch = order[at : at + batch_size]
            questions = encode([q for q, _, _ in batch])
            passages = encode([p for _, p, _ in batch] + [n for _, _, n in batch])
            logits = SIMILARITY_SCALE * questions @ passages.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        losses.append(total)
    model.eval()
    model.save(str(out))
    return losses


def half_of(case: EvalCase) -> int:
    """The half (0: training the first model, 1: calibrating it) a case is in, by a hash of its id, so it stays
    there however the sets are ordered or grow."""
    return hashlib.sha256(case.id.encode("utf-8")).digest()[0] % 2


def calibrate_on(asked: list[tuple[list[EvalCase], Path, StoredIndex]], half: int, model_dir: Path, scratch: Path):
    """The answerer's settings for the model in ``model_dir`` chosen on the cases of ``half``, each set's corpus
    (the one its index was built from) embedded by that model into an index in ``scratch``; and those cases."""
    from guidance.answering.assistant import Assistant
    from guidance.backends import BackendSettings
    from guidance.evaluation.calibrate import calibrate, prepare_cases
    from ingest.pipeline import ingest_corpus

    embedder = Embedder("torch", scratch / "model-cache", model_dir)
    assistants: dict[Path, Assistant] = {}  # by the index the sets were given with: one rebuild each
    cases = []
    for set_cases, index_dir, index in asked:
        of_half = [case for case in set_cases if half_of(case) == half]
        if not of_half:
            continue
        if index_dir not in assistants:
            rebuilt = scratch / f"index-{len(assistants)}"
            ingest_corpus(Path(index.info.corpus_dir), rebuilt, embedder.embed, embedding_model=embedder.label)
            assistants[index_dir] = Assistant(open_index(rebuilt), BackendSettings(), embedder)
        cases += prepare_cases(of_half, assistants[index_dir])
    return calibrate(cases), cases


def main() -> None:
    from guidance.evaluation.calibrate import write_calibration

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", metavar="SET=INDEX_DIR",
                        help="An eval set and the index its questions are asked of (built with the packaged model).")
    parser.add_argument("--out", type=Path, required=True, help="The folder to write the adapted model to.")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=2e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if any("=" not in pair for pair in args.sets):
        parser.error("give each set as SET=INDEX_DIR, e.g. evals/calibration.jsonl=/tmp/seed-index")
    base = sentence_model()

    def embed(texts: list[str]) -> np.ndarray:
        return base.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)

    asked, halves = [], ([], [])
    for pair in args.sets:
        set_path, index_dir = pair.split("=", 1)
        try:
            index = open_index(Path(index_dir))
            index.check_embedding_model(packaged_model_label())  # its vectors are compared with base's
            cases = load_eval_set(set_path)
        except (IndexMissing, EvalSetError, OSError) as error:
            parser.error(str(error))
        if not Path(index.info.corpus_dir).is_dir():
            parser.error(f"{index_dir} was built from {index.info.corpus_dir}, which is no longer there; calibrating "
                         "the adapted model embeds that corpus again, so rebuild the index from where the corpus is now")
        asked.append((cases, Path(index_dir), index))
        for half in (0, 1):
            halves[half].extend(training_triples([c for c in cases if half_of(c) == half], index, embed))
    if not halves[0] or not halves[1]:
        parser.error("each half of the answer questions needs one with an expected section in its index: "
                     "give more answer questions")
    training = dict(epochs=args.epochs, learning_rate=args.learning_rate, batch_size=args.batch_size, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="adapt-encoder-") as scratch:
        print(f"Training a first model on half the questions ({len(halves[0])} pairs) to calibrate on the other half…")
        fine_tune(halves[0], Path(scratch) / "first-model", **training)
        calibration, calibrated_on = calibrate_on(asked, 1, Path(scratch) / "first-model", Path(scratch))
    print(f"Calibrated on {len(calibrated_on)} questions the first model did not learn: balanced accuracy "
          f"{calibration.balanced_accuracy:.0%} with {calibration.settings}")
    triples = halves[0] + halves[1]
    print(f"Training the model on every question ({len(triples)} pairs)…")
    losses = fine_tune(triples, args.out, **training)
    write_calibration(calibration, calibrated_on, calibration_path(args.out))
    record = {**{k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
              "base_model": packaged_model_label(), "triples": len(triples), "epoch_losses": losses,
              "calibration": {"first_model_triples": len(halves[0]), "questions": len(calibrated_on),
                              "balanced_accuracy": calibration.balanced_accuracy,
                              "answer_right_rate": calibration.answer_right_rate,
                              "decline_rate": calibration.decline_rate}}
    (args.out / "adapted.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    print(f"Adapted model written to {args.out} ({len(triples)} training pairs, losses {losses}), with its "
          f"calibration in {calibration_path(args.out)}.")


if __name__ == "__main__":
    main()
