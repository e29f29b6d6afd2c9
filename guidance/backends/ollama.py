"""The ``ollama`` backend: a model served by Ollama, through langchain-ollama."""

from __future__ import annotations

from guidance.backends import MAX_REPLY_TOKENS, BackendSettings, register

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"


@register("ollama")
def chat_ollama(settings: BackendSettings):
    from langchain_ollama import ChatOllama

    model = ChatOllama(
        model=settings.require_model("a model name (e.g. qwen2.5:1.5b)"),
        base_url=settings.url or DEFAULT_OLLAMA_URL,
        client_kwargs={"timeout": settings.timeout_s},
        temperature=0,
        num_predict=MAX_REPLY_TOKENS,
    )
    # The Ollama client has no retries of its own.
    return model.with_retry(stop_after_attempt=settings.retries + 1) if settings.retries else model
