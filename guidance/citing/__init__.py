"""Citing: build citations from indexed sentences and check every quote a model writes."""
