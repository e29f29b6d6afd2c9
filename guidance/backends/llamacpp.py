"""The ``llamacpp`` backend: a GGUF model file on this machine, run in-process by llama-cpp-python.

Needs the optional extra: ``pip install -c constraints.txt -e '.[llamacpp]'`` (it compiles llama.cpp,
which takes several minutes). ``--llm-model`` is the path to the .gguf file.
"""

from __future__ import annotations

import os
from pathlib import Path

from guidance.backends import MAX_REPLY_TOKENS, BackendConfigError, BackendSettings, register

CONTEXT_TOKENS = 4096


@register("llamacpp")
def chat_llamacpp(settings: BackendSettings):
    path = Path(settings.require_model("the path to a .gguf model file")).expanduser()
    if not path.is_file():
        raise BackendConfigError(f"The llamacpp backend's model file {path} does not exist.")
    try:
        from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as error:
        raise BackendConfigError(
            "The llamacpp backend needs the optional extra: .venv/bin/pip install -c constraints.txt -e '.[llamacpp]'"
        ) from error
    # ChatLlamaCpp's own defaults (rope_freq_base=10000, n_batch=8) override the GGUF's settings and made
    # a small model invent figures; 0.0 keeps the file's rope base, and these match llama.cpp's own output.
    # llama.cpp's own default is half the cores, for hyper-threaded desktops; on a small server's two vCPUs, using
    # both answers a third faster (measured here: 0.8-2.0 s → 0.55-1.3 s for a one-sentence reply).
    return ChatLlamaCpp(
        model_path=str(path),
        n_threads=os.cpu_count() or 1,
        n_ctx=CONTEXT_TOKENS,
        rope_freq_base=0.0,
        n_batch=512,
        repeat_penalty=1.0,
        temperature=0.0,
        max_tokens=MAX_REPLY_TOKENS,
        verbose=False,
    )
