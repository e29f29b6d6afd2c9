"""The ``openai`` backend: any OpenAI-compatible chat-completions API through langchain-openai.

That covers OpenAI itself, Azure-compatible gateways, vLLM, llama.cpp's server, LM Studio and Ollama's
OpenAI API: give the server's base URL (ending in ``/v1``) with ``--llm-url``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from guidance.backends import MAX_REPLY_TOKENS, BackendConfigError, BackendSettings, register

# Local OpenAI-compatible servers ignore the key, but the client refuses to start without one.
LOCAL_SERVER_KEY = "not-needed"


def sends_key(url: str | None) -> bool:
    """The key goes to api.openai.com or a server over https; never over plain http, where anyone on the way reads
    it (and a local server needs none)."""
    return url is None or urlsplit(url).scheme == "https"


@register("openai")
def chat_openai(settings: BackendSettings):
    from langchain_openai import ChatOpenAI

    model = settings.require_model("a model name (e.g. gpt-4o-mini, or the name your server serves)")
    if not settings.url and not settings.api_key:
        raise BackendConfigError(
            "The openai backend needs OPENAI_API_KEY for api.openai.com, or --llm-url / GUIDANCE_LLM_URL for your own server."
        )
    return ChatOpenAI(
        model=model,
        base_url=settings.url,
        api_key=(settings.api_key if sends_key(settings.url) else None) or LOCAL_SERVER_KEY,
        timeout=settings.timeout_s,
        max_retries=settings.retries,
        temperature=0,
        max_completion_tokens=MAX_REPLY_TOKENS,
    )
