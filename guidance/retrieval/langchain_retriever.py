"""Retriever: the hybrid search as a LangChain retriever, so LangChain chains compose with it.

Kept apart from ``guidance.retrieval.search`` so the extractive path never imports LangChain.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LangChainDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from guidance.retrieval.search import HybridSearcher
from ingest.embedding import EmbedFunction


class GuidanceRetriever(BaseRetriever):
    """LangChain retriever: one ``Document`` per matching section, its metadata naming the section."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    embed_fn: EmbedFunction
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LangChainDocument]:
        hits = self.searcher.search(query, self.embed_fn([query])[0], k=self.k)
        return [
            LangChainDocument(
                page_content="\n".join(chunk.body for chunk in hit.chunks),
                metadata={
                    "section_id": hit.section_id,
                    "doc_id": hit.best.doc_id,
                    "doc_title": hit.best.doc_title,
                    "doc_version": hit.best.doc_version,
                    "section": hit.best.section,
                    "section_title": hit.best.section_title,
                    "subsection": hit.best.subsection,
                    "score": hit.fused,
                },
            )
            for hit in hits
        ]
