"""Prompt files: the versioned prompts in ``prompts/``, each a description, then ``## system`` and ``## human``
parts, loaded as LangChain chat prompts by every step that asks a language model (the generative answerer,
the question expansion)."""

from __future__ import annotations

import re

from langchain_core.prompts import ChatPromptTemplate

from guidance.config import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
PROMPT_PART = re.compile(r"^## (system|human)\s*$", re.M)


def load_prompt(name: str) -> ChatPromptTemplate:
    """``prompts/<name>.md`` as a chat prompt."""
    path = PROMPTS_DIR / f"{name}.md"
    parts = PROMPT_PART.split(path.read_text(encoding="utf-8"))
    messages = [(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2])]
    if [role for role, _ in messages] != ["system", "human"]:
        raise ValueError(f"{path} must have a '## system' part followed by a '## human' part.")
    return ChatPromptTemplate.from_messages(messages)
