"""Officer evals: load an eval set, generate answers, score them, report, and compare runs.

The flow follows alphagov/govuk-chat-evaluation: ``generate`` writes one answers JSONL record per question,
``metrics`` scores that file (so scoring can be re-run without re-answering), ``report`` writes the
per-question CSV, aggregate JSON, HTML and Markdown, and ``compare`` sets two runs side by side.
"""
