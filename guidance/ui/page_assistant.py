"""Page assistant: what every page starts from — the settings, read once a run and shown on the page when wrong,
and the one Assistant a server shares, after building the index with visible progress when it is missing or
stale. If a rebuild fails, a previous index keeps answering and the page says why it is not up to date.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from guidance.backends import BackendConfigError, BackendSettings
from guidance.settings import Settings, SettingsError, load_settings
from guidance.ui.chat import WarmingAssistant
from guidance.ui.markdown import escape_markdown
from ingest.chroma_store import BadChromaUrl, ChromaUnavailable
from ingest.embedding import Embedder
from ingest.freshness import index_is_stale
from ingest.index import IndexMissing, current_build, open_index

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False, max_entries=1)
def _open_assistant(index_dir: str, build: str, backend: BackendSettings, chroma_url: str | None,
                    embedder: Embedder, corrections_file: Path | None) -> WarmingAssistant:
    """One Assistant per server, index build and backend; a new build or setting is picked up."""
    from guidance.answering.assistant import Assistant

    return WarmingAssistant(Assistant(open_index(Path(index_dir), chroma_url), backend, embedder, corrections_file))


def page_settings() -> Settings:
    """The settings for this run of a page; a bad value is shown on the page, which stops there."""
    try:
        return load_settings()
    except SettingsError as error:
        st.error(escape_markdown(f"The assistant is not set up correctly: {error}"))
        st.stop()


def ready_assistant(settings: Settings | None = None) -> WarmingAssistant:
    """The shared Assistant, after building the index first (with visible progress) if it is missing or stale.

    If a rebuild fails, a previous index keeps answering and the page says why it is not up to date.
    """
    settings = settings or page_settings()
    corpus, index = settings.corpus_dir, settings.index_dir
    if index_is_stale(corpus, index):  # checked here too, so a current index shows no build status
        _build_index(corpus, index, settings.chroma_url, settings.embedder())
    build = current_build(index)
    if build is None:
        check = (f"the index location: {index} is a file, not an index folder ({Settings.variable('index_dir')})"
                 if index.is_file() else "the documents folder")
        st.error(escape_markdown(f"There is no index of the guidance in {index} yet, so questions cannot be answered. "
                                 f"Ask the officer who runs this service to check {check}."))
        st.stop()
    try:
        return _open_assistant(str(index), build.name, settings.backend(), settings.chroma_url, settings.embedder(),
                               settings.corrections_file)
    except (BackendConfigError, IndexMissing) as error:
        st.error(escape_markdown(f"The answering service is not set up correctly: {error}"))
        st.stop()


def _build_index(corpus, index, chroma_url: str | None, embedder: Embedder) -> None:
    from ingest.builds import UnusableIndexFolder
    from ingest.load import UnreadableFile
    from ingest.pipeline import NothingToIngest
    from ingest.refresh import rebuild_if_stale

    with st.status("Preparing the guidance for first use…", expanded=True) as status:
        st.text(f"Reading the documents in {corpus} and building the search index. This happens once.")
        try:
            report = rebuild_if_stale(corpus, index, embedder.embed, chroma_url=chroma_url, embedding_model=embedder.label,
                                      on_file=lambda path: status.update(label=f"Reading {path.name}…"),
                                      on_wait=lambda: status.update(label="Waiting for the build already under way…"))
        except (NothingToIngest, UnusableIndexFolder, UnreadableFile, ChromaUnavailable, BadChromaUrl) as error:
            log.warning("Building the index failed: %s", error)
            _build_failed(status, str(error))
            return
        except Exception as error:  # noqa: BLE001 (the officer sees what failed; the traceback goes to the log)
            log.exception("Building the index failed")
            _build_failed(status, f"Unexpected error: {type(error).__name__}: {error}. The details are in the app's log.")
            return
        if report is None:  # another session or ingest built it meanwhile
            status.update(label="Ready.", state="complete", expanded=False)
            return
        for skipped in report.skipped:
            st.text(f"Skipped {skipped.file}: {skipped.reason}")
        skipped = f"; {len(report.skipped)} file{'s' if len(report.skipped) > 1 else ''} skipped" if report.skipped else ""
        status.update(label=f"Ready: {len(report.documents)} documents, {report.sections} sections{skipped}.",
                      state="complete", expanded=bool(report.skipped))


def _build_failed(status, message: str) -> None:
    status.update(label="The guidance index could not be built", state="error")
    st.text(message)
