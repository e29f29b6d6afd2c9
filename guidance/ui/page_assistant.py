"""Page assistant: what every page starts from — the settings, read once a run and shown on the page when wrong,
and the one Assistant a server shares, after building the index with visible progress when it is missing or
stale. If a rebuild fails, a previous index keeps answering and the page says why it is not up to date.

Members and officers are told different things: the members' page never shows the server's folders, skipped
files or error details (they go to the log, and the officers' page shows them), only that the guidance is being
prepared or cannot be used yet and who can see why.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

import streamlit as st

from guidance.backends import BackendConfigError, BackendSettings
from guidance.settings import Settings, SettingsError, load_settings
from guidance.ui.chat import WarmingAssistant
from guidance.ui.markdown import escape_markdown
from guidance.ui.wording import counted
from ingest.chroma_store import BadChromaUrl, ChromaUnavailable
from ingest.embedding import Embedder
from ingest.freshness import index_is_stale
from ingest.index import IndexMissing, current_build, open_index

log = logging.getLogger(__name__)

Audience = Literal["members", "officers"]
SEE_WHY = "The officer who runs this service can see why on the Officer evals page or in the app's log."


@st.cache_resource(show_spinner=False, max_entries=1)
def _open_assistant(index_dir: str, build: str, backend: BackendSettings, chroma_url: str | None,
                    embedder: Embedder, corrections_file: Path | None) -> WarmingAssistant:
    """One Assistant per server, index build and backend; a new build or setting is picked up."""
    from guidance.answering.assistant import Assistant

    return WarmingAssistant(Assistant(open_index(Path(index_dir), chroma_url), backend, embedder, corrections_file))


def page_settings(audience: Audience = "members") -> Settings:
    """The settings for this run of a page; a bad value stops the page, named on the officers' page (members are
    told only who can see why: the value may be a server's folder)."""
    try:
        return load_settings()
    except SettingsError as error:
        log.warning("The assistant is not set up correctly: %s", error)
        st.error(escape_markdown(f"The assistant is not set up correctly: {error}" if audience == "officers" else
                                 f"The assistant is not set up correctly, so questions cannot be answered. {SEE_WHY}"))
        st.stop()


def ready_assistant(settings: Settings | None = None, audience: Audience = "members") -> WarmingAssistant:
    """The shared Assistant, after building the index first (with visible progress) if it is missing or stale.

    If a rebuild fails, a previous index keeps answering and the page says why it is not up to date.
    """
    settings = settings or page_settings()
    corpus, index = settings.corpus_dir, settings.index_dir
    if index_is_stale(corpus, index):  # checked here too, so a current index shows no build status
        _build_index(corpus, index, settings.chroma_url, settings.embedder(), audience)
    build = current_build(index)
    if build is None:
        check = (f"the index location: {index} is a file, not an index folder ({Settings.variable('index_dir')})"
                 if index.is_file() else "the documents folder")
        log.warning("There is no index in %s; check %s", index, check)
        st.error(escape_markdown(f"There is no index of the guidance in {index} yet, so questions cannot be answered. "
                                 f"Check {check}." if audience == "officers" else
                                 f"The guidance is not ready yet, so questions cannot be answered. {SEE_WHY}"))
        st.stop()
    try:
        return _open_assistant(str(index), build.name, settings.backend(), settings.chroma_url, settings.embedder(),
                               settings.corrections_file)
    except (BackendConfigError, IndexMissing) as error:
        log.warning("The answering service is not set up correctly: %s", error)
        st.error(escape_markdown(f"The answering service is not set up correctly: {error}" if audience == "officers"
                                 else f"The answering service is not set up correctly, so questions cannot be "
                                      f"answered. {SEE_WHY}"))
        st.stop()


def _build_index(corpus, index, chroma_url: str | None, embedder: Embedder, audience: Audience) -> None:
    from ingest.builds import UnusableIndexFolder
    from ingest.load import UnreadableFile
    from ingest.pipeline import NothingToIngest
    from ingest.refresh import rebuild_if_stale

    officers = audience == "officers"
    with st.status("Preparing the guidance for first use…", expanded=True) as status:
        st.text(f"Reading the documents in {corpus} and building the search index." if officers else
                "Reading the council's documents and building the search index. This happens once.")

        def name_each_file(path: Path) -> None:  # the server's file names are for officers
            if officers:
                status.update(label=f"Reading {path.name}…")

        try:
            report = rebuild_if_stale(corpus, index, embedder.embed, chroma_url=chroma_url, embedding_model=embedder.label,
                                      on_file=name_each_file,
                                      on_wait=lambda: status.update(label="Waiting for the build already under way…"))
        except (NothingToIngest, UnusableIndexFolder, UnreadableFile, ChromaUnavailable, BadChromaUrl) as error:
            log.warning("Building the index failed: %s", error)
            _build_failed(status, str(error) if officers else SEE_WHY)
            return
        except Exception as error:  # noqa: BLE001 (the officer sees what failed; the traceback goes to the log)
            log.exception("Building the index failed")
            unexpected = f"Unexpected error: {type(error).__name__}: {error}. The details are in the app's log."
            _build_failed(status, unexpected if officers else SEE_WHY)
            return
        if report is None:  # another session or ingest built it meanwhile
            status.update(label="Ready.", state="complete", expanded=False)
            return
        for skipped in report.skipped:
            log.warning("Skipped %s: %s", skipped.file, skipped.reason)
        shown = report.skipped if officers else []
        for skipped in shown:
            st.text(f"Skipped {skipped.file}: {skipped.reason}")
        ready = f"Ready: {len(report.documents)} documents, {report.sections} sections{_skipped_count(shown)}."
        status.update(label=ready, state="complete", expanded=bool(shown))


def _skipped_count(skipped: list) -> str:
    """E.g. "; 2 files skipped", or nothing when none were."""
    return f"; {counted(len(skipped), 'file')} skipped" if skipped else ""


def _build_failed(status, message: str) -> None:
    status.update(label="The guidance index could not be built", state="error")
    st.text(message)
