"""Corrections: officers' fixes to answers — the YAML store and matching a question to a fix."""
