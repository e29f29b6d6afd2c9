"""Retrieval: find the sections that may answer a question — hybrid search, spelling, follow-ups."""
