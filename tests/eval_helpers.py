"""A deliberately bad answerer for the eval tests: proof that the metrics and the gate can fail."""

from __future__ import annotations

from pathlib import Path

from guidance.citing.citations import format_quote, quoted_citation
from guidance.models import Answer
from ingest.index import open_index


class AlwaysCitesOneSection:
    """Whatever it is asked, it answers with the first sentence of one section.

    Its quotes are real and verbatim, so only the metrics that judge relevance and declining can catch it.
    """

    def __init__(self, index_dir: Path, section_id: str = "social-media-guidance#1.0"):
        index = open_index(index_dir)
        chunk = next(chunk for chunk in index.chunks if chunk.section_id == section_id)
        sentence = next(sentence for sentence in index.sentences if sentence.chunk_id == chunk.chunk_id)
        self.citation = quoted_citation(chunk, sentence.text, sentence.label)

    def ask(self, question: str) -> Answer:
        return Answer(question=question, status="answered", answer=format_quote(self.citation), citations=[self.citation])
