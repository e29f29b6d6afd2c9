"""Answering: turn retrieved sections into an answer — extractive quotes or a checked language model."""
