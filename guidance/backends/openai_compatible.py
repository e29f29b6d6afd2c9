"""The ``openai`` backend: any OpenAI-compatible chat-completions API through langchain-openai.

That covers OpenAI itself, Azure-compatible gateways, vLLM, llama.cpp's server, LM Studio and Ollama's
OpenAI API: give the server's base URL (ending in ``/v1``) with ``--llm-url``.
"""

from __future__ import annotations

from guidance.backends import MAX_REPLY_TOKENS, BackendConfigError, BackendSettings, register

# Local OpenAI-compatible servers ignore the key, but the client refuses to start without one.
LOCAL_SERVER_KEY = "not-needed"


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
        api_key=settings.api_key or LOCAL_SERVER_KEY,
        timeout=settings.timeout_s,
        max_retries=settings.retries,
        temperature=0,
        max_completion_tokens=MAX_REPLY_TOKENS,
    )
