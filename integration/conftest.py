"""The opt-in integration tests reuse the unit tests' session fixtures (a real index of the shipped corpus)."""

from tests.conftest import seed_index_dir  # noqa: F401
