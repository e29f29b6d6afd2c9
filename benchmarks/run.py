"""Run the benchmarks and write ``benchmarks/results/results.json`` and ``results.md``.

``python -m benchmarks.run [--sizes 1000 10000 50000] [--before results.json] [--pdf-only]``: for each size, a
synthetic corpus (see ``benchmarks.corpus``) is written to a temporary folder, ingested, and measured, and PDF
extraction speed is measured (``benchmarks.pdf_speed``); every figure is printed beside a baseline measured in
the same run on the same machine. The previous run's results are kept as ``previous.json``, and the latency
figures are shown beside them (or beside ``--before``'s), so a change's effect is read off one table.
``--pdf-only`` measures just the PDF extraction (``results/pdf.json`` and ``pdf.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import pdf_speed
from benchmarks.corpus import write_corpus
from guidance.config import REPO_ROOT
from guidance.settings import LIBRARY_ENVIRONMENT

RESULTS = REPO_ROOT / "benchmarks" / "results"
SIZES = (1000, 10_000, 50_000)
REAL_EMBEDDING_UP_TO = 2000  # chunks; above this, copies reuse their template's real vector (benchmarks.corpus)
COLD_RUNS = 3
QUESTION = "Can I tweet about a planning application?"
GOALS = {"ingest_vs_encode": 0.9, "answer_p50_ms_at_50k": 25, "answer_p95_ms_at_50k": 60, "cold_ask_s": 4,
         "peak_rss_mb": 1024}
ENV = {**os.environ, **LIBRARY_ENVIRONMENT}


def stage(*args: str, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.stages", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, env={**ENV, **(env or {})})
    if done.returncode:
        raise SystemExit(f"benchmark stage {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold(command: list[str]) -> dict:
    """Median wall time and the largest peak RSS of ``COLD_RUNS`` fresh processes."""
    walls, peaks = [], []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO_ROOT, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(command)} failed")
    return {"wall_s": round(statistics.median(walls), 2), "runs": [round(w, 2) for w in walls],
            "peak_rss_mb": round(max(peaks), 1)}


def measure(size: int, work: Path) -> dict:
    corpus, index = work / f"corpus-{size}", work / f"index-{size}"
    copies = write_corpus(size, corpus)
    real = size <= REAL_EMBEDDING_UP_TO
    print(f"[{size}] {copies} council copies; ingesting ({'real' if real else 'template'} vectors)…", flush=True)
    vectors = [] if real else ["--template-vectors"]
    result = {"target_chunks": size, "copies": copies, "real_vectors": real,
              "ingest": stage("ingest", str(index), str(corpus), *vectors)}
    print(f"[{size}] re-ingesting the unchanged corpus…", flush=True)
    result["reingest"] = stage("reingest", str(index), str(corpus), *vectors)
    if result["reingest"]["embedded_chunks"]:
        raise SystemExit(f"re-ingesting the unchanged corpus embedded {result['reingest']['embedded_chunks']} chunks")
    if real:
        print(f"[{size}] raw encode baseline…", flush=True)
        result["encode"] = stage("encode", str(index))
    print(f"[{size}] warm latency…", flush=True)
    result["latency"] = stage("latency", str(index))
    if size in (min(SIZES), max(SIZES)):
        print(f"[{size}] warm latency with 0, 100 and 1,000 officers' corrections loaded…", flush=True)
        result["corrections"] = stage("corrections", str(index))
    print(f"[{size}] cold guidance ask…", flush=True)
    result["cold_ask"] = cold([str(Path(sys.executable).parent / "guidance"), "ask", "--index-dir", str(index), QUESTION])
    shutil.rmtree(corpus)
    return result


def quality(work: Path) -> dict:
    """Answers to every starter question with the index built and queried by torch, then by ONNX."""
    runs = {backend: stage("answers", str(work / f"answers-{backend}"), env={"GUIDANCE_EMBEDDING_BACKEND": backend})
            for backend in ("torch", "onnx")}
    torch_answers, onnx_answers = runs["torch"]["answers"], runs["onnx"]["answers"]
    differ = sorted(i for i in torch_answers if torch_answers[i] != onnx_answers.get(i))
    return {"questions": len(torch_answers), "identical": len(torch_answers) - len(differ), "differ": differ,
            "same_sections": sum(torch_answers[i]["sections"] == onnx_answers[i]["sections"] for i in torch_answers)}


def table(results: dict) -> str:
    base = results["baselines"]["import_sentence_transformers"]["wall_s"]
    rows = ["| chunks | ingest chunks/s | ingest vs raw encode (torch / onnx) | bare Chroma query p50/p95 ms "
            "| retrieval p50/p95 ms | answer p50/p95 ms | answer p50 ÷ Chroma p50 | cold `guidance ask` s (÷ import ST) "
            "| re-ingest unchanged s (÷ ingest) | peak RSS MB: answering / cold ask / ingest / re-ingest |",
            "|---:|---:|---|---|---|---|---:|---|---|---|"]
    for size in results["sizes"]:
        ingest, reingest, lat, cold_ask = size["ingest"], size["reingest"], size["latency"], size["cold_ask"]
        if "encode" in size:
            encode = size["encode"]
            ratio = (f"{encode['torch_seconds'] / ingest['seconds']:.2f} / {encode['onnx_seconds'] / ingest['seconds']:.2f}")
        else:
            ratio = "n/a (template vectors)"
        span = lambda name: f"{lat[name]['p50_ms']:.1f} / {lat[name]['p95_ms']:.1f}"  # noqa: E731
        rows.append(
            f"| {ingest['chunks']:,} | {ingest['chunks_per_s']:.0f} | {ratio} | {span('chroma')} | {span('retrieval')} "
            f"| {span('answer')} | {lat['answer']['p50_ms'] / lat['chroma']['p50_ms']:.1f}× "
            f"| {cold_ask['wall_s']:.2f} ({cold_ask['wall_s'] / base:.2f}) "
            f"| {reingest['seconds']:.1f} ({reingest['seconds'] / ingest['seconds']:.2f}) "
            f"| {lat['peak_rss_mb']:.0f} / {cold_ask['peak_rss_mb']:.0f} / {ingest['peak_rss_mb']:.0f} / {reingest['peak_rss_mb']:.0f} |"
        )
    machine, same = results["machine"], results["quality"]
    return "\n".join(rows) + (
        f"\n\nONNX vs torch embeddings on evals/starter.jsonl: {same['identical']}/{same['questions']} answers identical "
        f"(status, text and cited sections), {same['same_sections']}/{same['questions']} cite the same sections."
        f"\n\nBaseline `python -c \"import sentence_transformers\"`: {base:.2f} s. Machine: {machine['cpus']} CPUs, "
        f"load average {machine['load_before']} before and {machine['load_after']} after the run. "
        f"Goals: ingest ≥ {GOALS['ingest_vs_encode']} of raw encode; answer p50 ≤ {GOALS['answer_p50_ms_at_50k']} ms and "
        f"p95 ≤ {GOALS['answer_p95_ms_at_50k']} ms at 50k; cold ask ≤ {GOALS['cold_ask_s']} s; peak RSS ≤ {GOALS['peak_rss_mb']} MB."
        f"\n\n{goals_verdict(results)}\n"
        f"\n## Officers' corrections\n\n{corrections_table(results)}\n"
        f"\n## PDF extraction\n\n{pdf_speed.table(results['pdf'])}"
    )


def corrections_table(results: dict) -> str:
    """Warm answers with 0, 100 and 1,000 corrections loaded, at the sizes that measured them (same run, same
    questions, the counts taking turns), against the answer goals."""
    rows = ["| chunks | corrections | answer p50 / p95 ms | matching step p50 / p95 ms | first answer after loading s |",
            "|---:|---:|---|---|---:|"]
    for size in results["sizes"]:
        for count, figures in size.get("corrections", {}).items():
            rows.append(f"| {size['ingest']['chunks']:,} | {int(count):,} | {figures['p50_ms']:.1f} / {figures['p95_ms']:.1f} "
                        f"| {figures['match_p50_ms']:.3f} / {figures['match_p95_ms']:.3f} | {figures['first_load_s']:.2f} |")
    return "\n".join(rows)


def before_after(before: dict, after: dict) -> str:
    """Warm answer and cold-ask figures of an earlier run beside this one's, for the sizes both measured."""
    earlier = {size["target_chunks"]: size for size in before["sizes"]}
    rows = ["| chunks | answer p50 ms before → after | answer p95 ms before → after | retrieval p50 ms before → after "
            "| cold `guidance ask` s before → after | peak RSS answering MB before → after |", "|---:|---|---|---|---|---|"]
    for size in after["sizes"]:
        old = earlier.get(size["target_chunks"])
        if old is None:
            continue
        pair = lambda get: f"{get(old):.1f} → {get(size):.1f}"  # noqa: E731
        rows.append(
            f"| {size['ingest']['chunks']:,} | {pair(lambda s: s['latency']['answer']['p50_ms'])} "
            f"| {pair(lambda s: s['latency']['answer']['p95_ms'])} | {pair(lambda s: s['latency']['retrieval']['p50_ms'])} "
            f"| {pair(lambda s: s['cold_ask']['wall_s'])} | {pair(lambda s: s['latency']['peak_rss_mb'])} |"
        )
    loads = f"load average before the earlier run {before['machine']['load_before']}, before this one {after['machine']['load_before']}"
    return "\n".join(["## Before and after", "", *rows, "", f"Same machine, {loads}.", ""])


def goals_verdict(results: dict) -> str:
    """Each goal, met or missed, judged on the figures above (latency on the largest size measured)."""
    sizes, largest = results["sizes"], results["sizes"][-1]
    checks = {
        "ingest vs SentenceTransformer.encode": all(
            s["encode"]["torch_seconds"] / s["ingest"]["seconds"] >= GOALS["ingest_vs_encode"] for s in sizes if "encode" in s),
        f"answer p50/p95 at {largest['ingest']['chunks']:,} chunks":
            largest["latency"]["answer"]["p50_ms"] <= GOALS["answer_p50_ms_at_50k"]
            and largest["latency"]["answer"]["p95_ms"] <= GOALS["answer_p95_ms_at_50k"],
        "cold ask": all(s["cold_ask"]["wall_s"] <= GOALS["cold_ask_s"] for s in sizes),
        "peak RSS": all(max(s["latency"]["peak_rss_mb"], s["cold_ask"]["peak_rss_mb"], s["ingest"]["peak_rss_mb"],
                            s["reingest"]["peak_rss_mb"]) <= GOALS["peak_rss_mb"] for s in sizes),
    }
    met = [name for name, ok in checks.items() if ok]
    missed = [name for name, ok in checks.items() if not ok]
    return f"Met: {', '.join(met) or 'none'}. Missed: {', '.join(missed) or 'none'}."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="Target chunk counts.")
    parser.add_argument("--pdf-only", action="store_true", help="Measure only PDF extraction speed.")
    parser.add_argument("--before", type=Path, default=RESULTS / "results.json",
                        help="results.json of an earlier run to show beside this one (default: the last run's).")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.pdf_only:
        with tempfile.TemporaryDirectory(prefix="guidance-bench-pdf-") as work:
            result = stage("pdf", work)
        (RESULTS / "pdf.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        (RESULTS / "pdf.md").write_text(pdf_speed.table(result), encoding="utf-8")
        print(pdf_speed.table(result))
        return
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before.is_file() else None
    load_before = os.getloadavg()
    results = {"machine": {"cpus": os.cpu_count(), "load_before": [round(x, 1) for x in load_before]}, "sizes": []}
    print("baseline: python -c 'import sentence_transformers'…", flush=True)
    results["baselines"] = {"import_sentence_transformers": cold([sys.executable, "-c", "import sentence_transformers"])}
    with tempfile.TemporaryDirectory(prefix="guidance-bench-") as work:
        print("quality: starter questions with torch and with ONNX embeddings…", flush=True)
        results["quality"] = quality(Path(work))
        for size in args.sizes:
            results["sizes"].append(measure(size, Path(work)))
        print("PDF extraction: our loader and raw pypdfium2…", flush=True)
        results["pdf"] = stage("pdf", str(Path(work) / "pdf"))
    results["machine"]["load_after"] = [round(x, 1) for x in os.getloadavg()]
    if before is not None:
        (RESULTS / "previous.json").write_text(json.dumps(before, indent=2), encoding="utf-8")
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    markdown = table(results) + ("\n" + before_after(before, results) if before is not None else "")
    (RESULTS / "results.md").write_text(markdown, encoding="utf-8")
    print(markdown)


if __name__ == "__main__":
    main()
