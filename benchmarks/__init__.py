"""Benchmarks: ingest throughput, warm and cold answer latency and peak memory against baselines measured in
the same run (raw model encode, bare Chroma query, bare ``import sentence_transformers``).

Run ``make bench``; figures go to ``benchmarks/results/`` (git-ignored) as JSON and a Markdown table.
"""
