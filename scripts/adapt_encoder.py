"""Adapt the embedding model to a council's documents: fine-tune all-MiniLM-L6-v2 on officers' eval questions.

    .venv/bin/python -m scripts.adapt_encoder evals/calibration.jsonl=SEED_INDEX \\
        evals/calibration-real.jsonl=REAL_INDEX --out .models/adapted-minilm
    GUIDANCE_EMBEDDING_MODEL=.models/adapted-minilm .venv/bin/guidance ingest corpus   # then re-calibrate

Each answer question of the sets is paired with the passage of an expected section that says what the question
must mention (else the passage most like the question) and with the hardest passage of any other section, as
the model sees them (a chunk with its heading path, a quotable sentence with its context); the model learns
to place the question nearer the first than the second, and nearer it than every other question's passage in
its batch (multiple-negatives ranking loss, Henderson et al. 2017). Decline questions are not used: whether
to answer is left to ``guidance calibrate``, which must be re-run on questions the model was not trained on
(docs/answer-quality.md, "Adapted encoder", has the figures and why). About six minutes for 440 pairs on two
cores. The resolved arguments are saved beside the model as ``adapted.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import numpy as np

from guidance.evaluation.dataset import EvalCase, EvalSetError, load_eval_set
from guidance.evaluation.metrics import section_matches
from ingest.embedding import packaged_model_label, sentence_model
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", metavar="SET=INDEX_DIR",
                        help="An eval set and the index its questions are asked of.")
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

    triples = []
    for pair in args.sets:
        set_path, index_dir = pair.split("=", 1)
        try:
            index = open_index(Path(index_dir))
            index.check_embedding_model(packaged_model_label())  # its vectors are compared with base's
            triples += training_triples(load_eval_set(set_path), index, embed)
        except (IndexMissing, EvalSetError, OSError) as error:
            parser.error(str(error))
    if not triples:
        parser.error("no answer question of these sets has an expected section in its index")
    losses = fine_tune(triples, args.out, args.epochs, args.learning_rate, args.batch_size, args.seed)
    record = {**{k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
              "base_model": packaged_model_label(), "triples": len(triples), "epoch_losses": losses}
    (args.out / "adapted.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    print(f"Adapted model written to {args.out} ({len(triples)} training pairs, losses {losses}).")


if __name__ == "__main__":
    main()
