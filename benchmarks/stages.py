"""Benchmark stages, each run in a fresh process so that its timings and peak memory are its own.

``python -m benchmarks.stages ingest|reingest|encode|latency|answers|pdf INDEX_DIR [CORPUS_DIR] [--template-vectors]`` prints
one JSON object on its last line (for ``pdf``, INDEX_DIR is a scratch folder for the rendered PDFs).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

from guidance.config import EVALS_DIR
from guidance.evaluation.dataset import load_eval_set
from guidance.settings import set_library_environment

QUESTIONS = EVALS_DIR / "starter.jsonl"
LATENCY_ROUNDS = 2


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def percentiles(seconds: list[float]) -> dict[str, float]:
    return {"p50_ms": round(float(np.percentile(seconds, 50)) * 1000, 2),
            "p95_ms": round(float(np.percentile(seconds, 95)) * 1000, 2)}


def ingest(index_dir: Path, corpus_dir: Path, template_vectors: bool, load_model_first: bool = True) -> dict:
    """The real pipeline on the synthetic corpus. For a first ingest the model is loaded before timing, as the
    baseline's is; re-ingesting an unchanged corpus embeds nothing, so it is timed without."""
    from benchmarks.corpus import TemplateVectors
    from guidance.settings import load_settings
    from ingest.pipeline import ingest_corpus

    embed = load_settings().embedder().embed
    if load_model_first:
        embed(["warm up"])
    started = time.perf_counter()
    report = ingest_corpus(corpus_dir, index_dir, embed_fn=TemplateVectors(embed) if template_vectors else embed)
    seconds = time.perf_counter() - started
    info = json.loads((index_dir / "builds" / report.build / "build.json").read_text())
    return {"seconds": round(seconds, 2), "chunks": report.chunks, "sentences": info["sentences"],
            "embedded_chunks": report.embedded_chunks, "chunks_per_s": round(report.chunks / seconds, 1),
            "peak_rss_mb": peak_rss_mb()}


def encode(index_dir: Path) -> dict:
    """Raw encode of exactly the distinct texts the ingest embedded, by SentenceTransformer and by ONNX."""
    from guidance.settings import load_settings
    from ingest.embedding import sentence_model
    from ingest.index import open_index
    from ingest.onnx_encoder import OnnxEncoder, onnx_path

    index = open_index(index_dir)
    texts = list(dict.fromkeys([c.index_text for c in index.chunks] + [s.context for s in index.sentences]))
    embedder = load_settings().embedder()  # sets the Hugging Face libraries' variables before the model loads
    model, onnx = sentence_model(), OnnxEncoder(onnx_path(embedder.cache_dir))
    timings = {}
    for name, run in (("torch", lambda t: model.encode(t, batch_size=64, normalize_embeddings=True)),
                      ("onnx", onnx.encode)):
        run(texts[:64])
        started = time.perf_counter()
        run(texts)
        timings[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
    return {"texts": len(texts), "chunks": len(index.chunks), **timings}


def latency(index_dir: Path) -> dict:
    """Warm latency over the starter questions: bare Chroma query, hybrid retrieval, full answer."""
    from guidance.answering.assistant import Assistant
    from guidance.retrieval.search import CANDIDATES
    from guidance.settings import load_settings

    questions = [case.question for case in load_eval_set(QUESTIONS)]
    assistant = Assistant.open(load_settings(), index_dir)
    for question in questions[:5]:
        assistant.ask(question)
    vectors = assistant.embed(questions)
    searcher, collection = assistant.extractive.searcher, assistant.index.collection
    timings: dict[str, list[float]] = {"chroma": [], "retrieval": [], "answer": []}
    for _ in range(LATENCY_ROUNDS):
        for question, vector in zip(questions, vectors):
            started = time.perf_counter()
            collection.query(query_embeddings=[vector], n_results=CANDIDATES, include=["distances"])
            queried = time.perf_counter()
            searcher.search(question, vector)
            searched = time.perf_counter()
            assistant.ask(question)
            answered = time.perf_counter()
            timings["chroma"].append(queried - started)
            timings["retrieval"].append(searched - queried)
            timings["answer"].append(answered - searched)
    return {"questions": len(questions) * LATENCY_ROUNDS, **{k: percentiles(v) for k, v in timings.items()},
            "peak_rss_mb": peak_rss_mb()}


def answers(index_dir: Path) -> dict:
    """The shipped corpus ingested and every starter question answered with this process's embedding backend
    (``GUIDANCE_EMBEDDING_BACKEND``), for comparing backends."""
    from guidance.answering.assistant import Assistant
    from guidance.config import DEFAULT_CORPUS_DIR
    from guidance.settings import load_settings
    from ingest.pipeline import ingest_corpus

    settings = load_settings()
    ingest_corpus(DEFAULT_CORPUS_DIR, index_dir, settings.embedder().embed)
    assistant = Assistant.open(settings, index_dir)
    found = {}
    for case in load_eval_set(QUESTIONS):
        answer = assistant.ask(case.question)
        found[case.id] = {"status": answer.status, "answer": answer.answer,
                             "sections": [f"{c.doc_id}#{c.section}" for c in answer.citations]}
    return {"backend": settings.embedding_backend, "answers": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("stage", choices=["ingest", "reingest", "encode", "latency", "answers", "pdf", "corrections"])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("corpus_dir", type=Path, nargs="?")
    parser.add_argument("--template-vectors", action="store_true")
    args = parser.parse_args()
    set_library_environment()
    if args.stage in ("ingest", "reingest"):
        result = ingest(args.index_dir, args.corpus_dir, args.template_vectors, load_model_first=args.stage == "ingest")
    elif args.stage == "corrections":
        import tempfile

        from benchmarks.corrections import latency as corrections_latency

        with tempfile.TemporaryDirectory() as folder:  # the index is a benchmark's: its corrections file is too
            result = corrections_latency(Path(folder) / "corrections.yaml", index_dir=args.index_dir)
    elif args.stage == "pdf":
        from benchmarks.pdf_speed import measure

        result = measure(args.index_dir)
    else:
        result = {"encode": encode, "latency": latency, "answers": answers}[args.stage](args.index_dir)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
