"""Backends: the chat models the generative answerer can use, chosen by name.

A small registry in the spirit of simonw/llm's model plugins: each backend module registers a factory
under a name, and ``chat_model(settings)`` builds the LangChain chat model for the chosen one. The same
names are used everywhere: ``--llm NAME --llm-url URL --llm-model MODEL`` on the CLI, or ``GUIDANCE_LLM``,
``GUIDANCE_LLM_URL``, ``GUIDANCE_LLM_MODEL``, ``GUIDANCE_LLM_TIMEOUT`` (seconds) and ``GUIDANCE_LLM_RETRIES``
in the environment (read by ``guidance.settings``, whose ``Settings.backend()`` makes the ``BackendSettings``).
``extractive`` (the default) means no language model at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_BACKEND = "extractive"
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_RETRIES = 1
MAX_REPLY_TOKENS = 600  # every backend caps the reply here: the prompt asks for two to four sentences


class BackendConfigError(ValueError):
    """The backend settings cannot work; the message names the setting to fix."""


@dataclass(frozen=True)
class BackendSettings:
    name: str = DEFAULT_BACKEND
    url: str | None = None
    model: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    retries: int = DEFAULT_RETRIES
    api_key: str | None = None

    @property
    def label(self) -> str:
        """How answers name the backend, e.g. "openai:gpt-4o-mini" (a model file by its name, not its path)."""
        model = Path(self.model).name if self.model and self.name == "llamacpp" else self.model
        return f"{self.name}:{model}" if model else self.name

    def require_model(self, what: str) -> str:
        if not self.model:
            raise BackendConfigError(f"The {self.name} backend needs {what}: pass --llm-model or set GUIDANCE_LLM_MODEL.")
        return self.model


# A factory returns the chat model for the settings, or None for a backend that needs no model.
Factory = Callable[[BackendSettings], object]
REGISTRY: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    def add(factory: Factory) -> Factory:
        REGISTRY[name] = factory
        return factory

    return add


def chat_model(settings: BackendSettings):
    """The LangChain chat model for ``settings``, or None for the extractive backend."""
    factory = REGISTRY.get(settings.name)
    if factory is None:
        raise BackendConfigError(f"Unknown LLM backend {settings.name!r}; choose one of: {', '.join(sorted(REGISTRY))}.")
    if settings.url is not None:
        check_model_url(settings.url)
    return factory(settings)


def check_model_url(url: str) -> None:
    """Refuse a model server address that cannot work, before any question is asked: otherwise every answer
    falls back with "could not be reached" and nobody is told the address is wrong."""
    parts = urlsplit(url)
    if url != url.strip() or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BackendConfigError(f"The language model's address {url!r} is not a web address: give it as "
                                 "http(s)://host:port/v1, e.g. http://127.0.0.1:8080/v1 (--llm-url or GUIDANCE_LLM_URL).")


# Registering imports no model library: each factory imports its own when called.
from guidance.backends import extractive, llamacpp, ollama, openai_compatible  # noqa: E402,F401
