"""Settings: every environment variable the assistant reads, declared and validated in this one module.

The entry points (the CLI, the members' page ``app.py`` and the officers' page) call ``load_settings()`` once
and pass what they need down; no other module reads the environment. A bad value is reported as a
``SettingsError`` naming the variable, which the CLI prints before exiting 2 and a page shows instead of a
traceback. The README's "Settings" table lists each variable with its default.

``set_library_environment()`` is the one place that *writes* to the environment: variables that the
Hugging Face libraries read when they load the embedding model, set whenever ``Settings.embedder()`` makes one.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from guidance.answering.calibrated import calibration_path, calibration_problem
from guidance.answering.likeness import labelled_path, labelled_problem
from guidance.backends import DEFAULT_BACKEND, DEFAULT_RETRIES, DEFAULT_TIMEOUT_S, REGISTRY, BackendSettings
from guidance.config import DEFAULT_CORPUS_DIR, DEFAULT_EVAL_RUNS_DIR, DEFAULT_FEEDBACK_DB, DEFAULT_INDEX_DIR
from ingest.embedding import Backend, Embedder

PREFIX = "GUIDANCE_"
# Read by the Hugging Face libraries, not by this code: no hub downloads, no tokenizer threads that would
# deadlock after a fork, and no progress bars or notices of theirs among an answer's lines. Values a user has
# set are left alone.
LIBRARY_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
                       "TRANSFORMERS_VERBOSITY": "error"}


class SettingsError(ValueError):
    """A setting in the environment has a value that cannot work; the message names the variable."""


class Settings(BaseSettings):
    """The resolved settings; each field is read from ``GUIDANCE_<FIELD>`` unless it names another variable."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, frozen=True, extra="ignore")

    corpus_dir: Path = Field(DEFAULT_CORPUS_DIR, description="Folder of documents that `guidance ingest` and the app read.")
    index_dir: Path = Field(DEFAULT_INDEX_DIR, description="Folder of index builds that answering reads.")
    feedback_db: Path = Field(DEFAULT_FEEDBACK_DB, description="SQLite file of members' ratings and comments.")
    eval_runs_dir: Path = Field(DEFAULT_EVAL_RUNS_DIR, description="Where each eval run's folder is written.")
    llm: str = Field(DEFAULT_BACKEND, description="Answer with a language model: extractive (none), openai, ollama or llamacpp.")
    llm_url: str | None = Field(None, description="The model server's base URL, e.g. http://127.0.0.1:8080/v1.")
    llm_model: str | None = Field(None, description="The model's name, or the .gguf file for llamacpp.")
    llm_timeout: float = Field(DEFAULT_TIMEOUT_S, gt=0, allow_inf_nan=False, description="Seconds to wait for the language model's whole reply (more than zero).")
    llm_retries: int = Field(DEFAULT_RETRIES, ge=0, le=5, description="Further tries when the language model fails (0 to 5).")
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY",
                                             description="Key for api.openai.com or a server over https (never sent over plain http).")
    embedding_backend: Backend = Field(
        "auto", description="Run the embedding model on onnx, torch, or auto (onnx once exported, else torch).")
    embedding_model: Path | None = Field(None, description=(
        "Folder of an adapted embedding model (make adapt makes one, with its own calibration); re-run guidance "
        "ingest after changing it."))
    model_cache: Path | None = Field(None, description="Folder for the embedding model's ONNX export and the labelled questions' vectors "
                                             "(guidance/answering/likeness.py).")
    xdg_cache_home: Path | None = Field(None, validation_alias="XDG_CACHE_HOME",
                                        description="The user's cache folder, used for the ONNX export unless GUIDANCE_MODEL_CACHE is set.")
    chroma_url: str | None = Field(
        None, description="A shared Chroma server, http(s)://host:port, for new builds; overrides a build's recorded server.")
    corrections_file: Path | None = Field(
        None, description="Officers' corrections (default: corrections.yaml in the corpus folder the index was built from).")
    officer_password: SecretStr | None = Field(
        None, description="Password of the officers' page (else .streamlit/secrets.toml); unset, the page stays closed.")

    @field_validator("llm")
    @classmethod
    def _backend_name(cls, name: str) -> str:
        name = name.strip().lower() or DEFAULT_BACKEND
        if name not in REGISTRY:
            raise ValueError(f"{cls.variable('llm')}={name!r} is not a language model backend; choose one of: "
                             f"{', '.join(sorted(REGISTRY))}.")
        return name

    @field_validator("chroma_url")
    @classmethod
    def _chroma_address(cls, url: str | None) -> str | None:
        from ingest.chroma_store import check_server_url

        url = (url or "").strip()
        return check_server_url(url) if url else None  # a malformed address fails now, before any work

    @field_validator("embedding_model")
    @classmethod
    def _model_folder(cls, folder: Path | None) -> Path | None:
        if folder is None:
            return None
        if not (folder / "model.safetensors").is_file():
            raise ValueError(f"{cls.variable('embedding_model')}={str(folder)!r} is not a sentence-transformers model "
                             "folder (no model.safetensors); unset it to use the packaged all-MiniLM-L6-v2")
        calibration = calibration_path(folder)
        labelled = labelled_path(calibration)
        for path, problem in ((calibration, calibration_problem(calibration)), (labelled, labelled_problem(labelled))):
            if problem:
                raise ValueError(f"{cls.variable('embedding_model')}={str(folder)!r}: its {path} {problem}; "
                                 "make the model again with scripts/adapt_encoder.py, or re-run guidance calibrate")
        return folder

    @classmethod
    def variable(cls, field: str) -> str:
        """The environment variable a field is read from."""
        alias = cls.model_fields[field].validation_alias
        return alias if isinstance(alias, str) else f"{PREFIX}{field.upper()}"

    @classmethod
    def variables(cls) -> list[str]:
        return [cls.variable(field) for field in cls.model_fields]

    @property
    def model_cache_dir(self) -> Path:
        """Where the ONNX export of the embedding model and the labelled questions' vectors are cached."""
        return self.model_cache or (self.xdg_cache_home or Path.home() / ".cache") / "member-guidance-assistant"

    def embedder(self) -> Embedder:
        """The embedding model as these settings choose it, with the Hugging Face libraries' variables set
        before it loads (it loads at its first ``embed``)."""
        set_library_environment()
        return Embedder(self.embedding_backend, self.model_cache_dir, self.embedding_model)

    def backend(self, name: str | None = None, url: str | None = None, model: str | None = None) -> BackendSettings:
        """The language model's ``BackendSettings``: CLI flags first, then these settings."""
        key = self.openai_api_key.get_secret_value() if self.openai_api_key else None
        return BackendSettings(name=(name or self.llm).strip().lower(), url=url or self.llm_url, model=model or self.llm_model,
                               timeout_s=self.llm_timeout, retries=self.llm_retries, api_key=key)

    def recorded(self) -> dict:
        """The settings as JSON, by variable name, secrets masked (a password inside a server address too): what an
        eval run folder records."""
        values = self.model_dump(mode="json")
        for field in ("llm_url", "chroma_url"):
            values[field] = without_password(values[field])
        return {self.variable(field): values[field] for field in values}


def without_password(url: str | None) -> str | None:
    """``url`` with any "user:password@" masked, as secrets are: "https://svc:**********@llm.example/v1"."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:**********@{parts.hostname}"
                                            + (f":{parts.port}" if parts.port else "")))


def load_settings() -> Settings:
    """The settings from the environment, or ``SettingsError`` naming each variable whose value is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(" ".join(_problem(detail) for detail in error.errors())) from None


def _problem(detail: dict) -> str:
    field = str(detail["loc"][0])
    variable = field if field in Settings.variables() else Settings.variable(field)
    if detail["type"] == "value_error":  # our own validators' messages name the variable and say what to do
        return str(detail["ctx"]["error"])
    return f"{variable}={detail['input']!r} is not valid: {detail['msg'].lower()}."


def set_library_environment() -> None:
    """Set the variables the Hugging Face libraries read, before they are imported."""
    for variable, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(variable, value)
