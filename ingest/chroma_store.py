"""Chroma store: where a build's vectors live, embedded in the build folder or on a shared Chroma server.

Embedded (the default): a ``PersistentClient`` in ``builds/<id>/chroma`` with the collection ``chunks``.
Server (``GUIDANCE_CHROMA_URL=http://host:port``): ``chromadb.HttpClient`` to a Chroma server that several
app instances share. There each build gets its own collection (``chunks-<build id>``), so a new ingest
never disturbs an instance still answering from the previous build; the choice is written to
``chroma.json`` in the build folder before anything reaches the server, so pruning can delete the
collections of old and of failed builds alike.

Every call to a server goes through ``GuardedCollection``: a server that is down or stops mid-session
raises ``ChromaUnavailable`` with a message naming it, and the next call simply tries again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

CHROMA_URL_ENV = "GUIDANCE_CHROMA_URL"
RECORD = "chroma.json"
DEFAULT_PORT = 8000
COLLECTION = "chunks"


class ChromaUnavailable(Exception):
    """The Chroma server cannot be reached or lacks this build's collections; the message says what to do."""


class BadChromaUrl(ValueError):
    """``GUIDANCE_CHROMA_URL`` is not an http(s)://host:port address."""


def check_server_url(url: str) -> str:
    """``url`` if it is a Chroma server address, else ``BadChromaUrl`` saying what one looks like."""
    _split(url)
    return url


def _split(url: str) -> tuple[str, int, bool]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as error:
        raise BadChromaUrl(f"{CHROMA_URL_ENV}={url!r} has an invalid port; use e.g. http://127.0.0.1:8000") from error
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise BadChromaUrl(f"{CHROMA_URL_ENV}={url!r} is not a Chroma server address; use e.g. http://127.0.0.1:8000")
    return parts.hostname, port or DEFAULT_PORT, parts.scheme == "https"


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False)


def _connection_errors() -> tuple[type[BaseException], ...]:
    import httpx

    return (httpx.TransportError, ConnectionError)


@dataclass
class ChromaStore:
    """The Chroma client and collection names for one build."""

    build_dir: Path
    url: str | None

    @classmethod
    def for_new_build(cls, build_dir: Path, url: str | None) -> "ChromaStore":
        """Where a new build's vectors go: the server at ``url``, or embedded when None; recorded in the build
        folder at once."""
        store = cls(build_dir, url)
        (build_dir / RECORD).write_text(json.dumps(store.record()), encoding="utf-8")
        return store

    @classmethod
    def of_build(cls, build_dir: Path, server_url: str | None = None) -> "ChromaStore":
        """Where an existing build's vectors are. ``server_url`` (``GUIDANCE_CHROMA_URL``), when given, overrides
        the recorded server address (the server may have moved); builds without a record are embedded."""
        record = build_dir / RECORD
        recorded = json.loads(record.read_text(encoding="utf-8"))["url"] if record.exists() else None
        return cls(build_dir, (server_url or recorded) if recorded else None)

    def record(self) -> dict:
        return {"url": self.url, "collections": {COLLECTION: self.collection_name}}

    @property
    def collection_name(self) -> str:
        return f"{COLLECTION}-{self.build_dir.name}" if self.url else COLLECTION

    @cached_property
    def client(self):
        import chromadb

        if not self.url:
            return chromadb.PersistentClient(path=str(self.build_dir / "chroma"), settings=_settings())
        host, port, ssl = _split(self.url)
        try:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_settings())
        except (ValueError, *_connection_errors()) as error:  # chromadb reports a refused connection as ValueError
            raise self.unavailable(error) from error

    def unavailable(self, error: BaseException) -> ChromaUnavailable:
        return ChromaUnavailable(
            f"The Chroma server at {self.url} is not answering ({error}). Start it, or check {CHROMA_URL_ENV}; "
            "answering resumes as soon as it is back."
        )

    def create_collection(self) -> "GuardedCollection":
        collection = self.guard(
            lambda: self.client.create_collection(
                self.collection_name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        )
        return GuardedCollection(collection, self)

    def collection(self) -> "GuardedCollection":
        from chromadb.errors import NotFoundError

        try:
            collection = self.guard(lambda: self.client.get_collection(self.collection_name, embedding_function=None))
        except NotFoundError as error:
            raise ChromaUnavailable(
                f"The Chroma server at {self.url} has no collection {self.collection_name!r} for build "
                f"{self.build_dir.name}; run `guidance ingest` again with this server."
            ) from error
        return GuardedCollection(collection, self)

    def check_reachable(self) -> None:
        """Raise ``ChromaUnavailable`` now if this build's server does not answer (embedded stores always do)."""
        if self.url:
            self.guard(self.client.heartbeat)

    def max_batch_size(self) -> int:
        return self.guard(self.client.get_max_batch_size)

    def delete_collections(self) -> bool:
        """Remove the collections this build recorded from the server (older builds also had a
        ``sentences-<build id>``); False if the server could not be reached."""
        if not self.url:
            return True
        from chromadb.errors import NotFoundError

        recorded = json.loads((self.build_dir / RECORD).read_text(encoding="utf-8"))["collections"]
        try:
            for name in recorded.values():
                try:
                    self.guard(lambda: self.client.delete_collection(name))
                except NotFoundError:
                    pass  # a build that failed before creating it
        except ChromaUnavailable:
            return False
        return True

    def guard(self, call):
        if not self.url:
            return call()
        try:
            return call()
        except _connection_errors() as error:
            raise self.unavailable(error) from error


class GuardedCollection:
    """A Chroma collection whose calls raise ``ChromaUnavailable`` instead of a network error."""

    def __init__(self, collection, store: ChromaStore):
        self._collection = collection
        self._store = store

    def __getattr__(self, name: str):
        attribute = getattr(self._collection, name)
        if not callable(attribute):
            return attribute
        return lambda *args, **kwargs: self._store.guard(lambda: attribute(*args, **kwargs))
