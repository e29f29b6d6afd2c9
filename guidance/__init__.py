"""Member Guidance Assistant: retrieval, answering and citation over a council's guidance documents.

The data path is ``ingest`` (load → sections → chunks → index) → ``guidance.retrieval.search`` →
``guidance.answering.extractive`` → ``guidance.citing.citations``. Heavy libraries (torch, sentence-transformers, chromadb)
are
imported lazily so that ``import guidance`` stays cheap.
"""

__version__ = "0.1.0"
