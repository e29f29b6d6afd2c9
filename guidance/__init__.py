"""Member Guidance Assistant: retrieval, answering and citation over a council's guidance documents.

The data path is ``ingest`` (load → sections → chunks → index) → ``guidance.answering.safety`` (questions refused
outright) → ``guidance.retrieval.search`` → ``guidance.answering.extractive`` (after officers' corrections,
``guidance.corrections``) → ``guidance.citing.citations``; ``guidance.answering.assistant`` runs it. Heavy
libraries (torch, sentence-transformers, chromadb) are imported lazily so that ``import guidance`` stays cheap.
"""

__version__ = "0.1.0"
