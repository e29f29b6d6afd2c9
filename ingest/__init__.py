"""Ingest: load files → split into documents and sections → chunks → hybrid index (Chroma + BM25).

Each step is its own module: ``load``, ``sections``, ``chunks``, ``index``; ``pipeline`` runs them.
"""
