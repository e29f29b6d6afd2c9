"""PDF extraction speed: pages per second of our loader (``ingest.formats.pdf.load_pdf``: PDFium's words with
their boxes and fonts, laid out as headings, paragraphs, lists and tables) beside pypdfium2's raw text
extraction of the same pages, measured in one process, file by file, alternating the two.

Files: the real council PDFs in ``../shared/corpora`` (when present) and the shipped seed rendered as a
multi-page PDF (spaced and plain) by the test renderer.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from guidance.config import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "corpora"
ROUNDS = 5
SEED_COPIES = 4  # the seed is 8 printed pages; four copies make a 30-page document


def raw_pdfium(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        for number in range(len(document)):
            document[number].get_textpage().get_text_range()
        return len(document)
    finally:
        document.close()


def rendered_files(work: Path) -> list[Path]:
    from guidance.config import DEFAULT_CORPUS_DIR
    from tests.renderings import render_pdf, render_plain_pdf

    seed = sorted(DEFAULT_CORPUS_DIR.glob("*.txt"))[0].read_text(encoding="utf-8")
    text = "\n\n[page break]\n\n".join([seed] * SEED_COPIES)
    work.mkdir(parents=True, exist_ok=True)
    return [render_pdf(text, work / "seed-spaced.pdf"), render_plain_pdf(text, work / "seed-plain.pdf")]


def measure(work: Path) -> dict:
    from ingest.formats.pdf import load_pdf

    files = sorted(SHARED.glob("*.pdf")) + rendered_files(work)
    rows = []
    for path in files:
        pages = raw_pdfium(path)
        load_pdf(path)  # first call imports and warms up
        raw, ours = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            raw_pdfium(path)
            middle = time.perf_counter()
            load_pdf(path)
            ours.append(time.perf_counter() - middle)
            raw.append(middle - started)
        raw_s, ours_s = statistics.median(raw), statistics.median(ours)
        rows.append({"file": path.name, "pages": pages, "raw_pages_per_s": round(pages / raw_s, 1),
                     "loader_pages_per_s": round(pages / ours_s, 1), "loader_vs_raw": round(raw_s / ours_s, 3)})
    total_pages = sum(row["pages"] for row in rows)
    raw_total = sum(row["pages"] / row["raw_pages_per_s"] for row in rows)
    ours_total = sum(row["pages"] / row["loader_pages_per_s"] for row in rows)
    return {"library": "pypdfium2", "rounds": ROUNDS, "files": rows,
            "all": {"pages": total_pages, "raw_pages_per_s": round(total_pages / raw_total, 1),
                    "loader_pages_per_s": round(total_pages / ours_total, 1),
                    "loader_vs_raw": round(raw_total / ours_total, 3)}}


def table(result: dict) -> str:
    rows = ["| PDF | pages | pypdfium2 raw text pages/s | our loader pages/s | loader ÷ raw |", "|---|---:|---:|---:|---:|"]
    for row in [*result["files"], {"file": "all", **result["all"]}]:
        rows.append(f"| {row['file']} | {row['pages']} | {row['raw_pages_per_s']:.0f} | {row['loader_pages_per_s']:.0f} "
                    f"| {row['loader_vs_raw']:.2f} |")
    return "\n".join(rows) + f"\n\nMedian of {result['rounds']} alternating runs per file, one process.\n"
