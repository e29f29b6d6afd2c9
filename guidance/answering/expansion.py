"""Expansion: an optional second opinion on whether a question is answerable, from a language model.

With ``GUIDANCE_EXPANSION_LLM`` set, the model writes the sentence a council's guidance would answer the
question with (``prompts/expansion-v1.md``; "hypothetical document embeddings", HyDE). The question's vector
plus that sentence's, normalised, is the *decision vector*: the answerer still searches and ranks with the
question's own vector, then decides whether its best quote is strong enough by that quote's score under the
decision vector, against a threshold calibrated for it (``expansion_threshold``). The sentence is never shown or
quoted. A question the model cannot expand in time is decided on its own vector, as without the option, and the
answer's reasons say so.
"""

from __future__ import annotations

import logging

import numpy as np
from langchain_core.output_parsers import StrOutputParser

from guidance.answering.prompt_files import load_prompt
from guidance.backends import BackendSettings, chat_model
from ingest.embedding import EmbedFunction

EXPANSION_PROMPT = "expansion-v1"
# One sentence is asked for; a model that runs on is cut off here and at its first line break.
EXPANSION_TOKENS = 48

log = logging.getLogger(__name__)


class QuestionExpander:
    def __init__(self, backend: BackendSettings, embed_fn: EmbedFunction):
        """``backend``: the model that writes the sentences; a bad setting fails here, at start-up."""
        self.label = backend.label
        model = chat_model(backend)
        one_line = model.bind(max_tokens=EXPANSION_TOKENS, stop=["\n"])
        self.chain = load_prompt(EXPANSION_PROMPT) | one_line | StrOutputParser()
        self.embed_fn = embed_fn

    def sentence(self, question: str) -> str:
        """The first line of the model's reply: the stop at a line break is a request a server may ignore."""
        lines = self.chain.invoke({"question": question}).strip().splitlines()
        return " ".join(lines[0].split()) if lines else ""

    def expand(self, question: str, query_vector: np.ndarray) -> tuple[np.ndarray | None, str]:
        """The decision vector and the sentence it came from; ``(None, why)`` when the model gave none."""
        try:
            sentence = self.sentence(question)
        except Exception as error:  # any failure of the model leaves the decision to the question alone
            log.warning("Question expansion by %s failed: %s", self.label, error)
            return None, f"the expansion model {self.label} failed ({type(error).__name__})"
        if not sentence:
            return None, f"the expansion model {self.label} replied with nothing"
        combined = query_vector + self.embed_fn([sentence])[0]
        return combined / np.linalg.norm(combined), sentence
