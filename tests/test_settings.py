"""Settings: every variable is read in guidance/settings.py and nowhere else, with its type and default; a bad
value is named, and the CLI and the pages report it instead of a traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guidance.cli.main import app
from guidance.config import REPO_ROOT
from pydantic import SecretStr

from guidance.settings import Settings, SettingsError, load_settings
from ingest.onnx_encoder import packaged_model_dir
from ingest.text import fold_whitespace

# os.environ / os.getenv / environ imported from os: any read (or write) of the environment.
READS_ENVIRONMENT = re.compile(r"\bos\s*\.\s*(environ|getenv|putenv)\b|\bfrom\s+os\s+import\b[^\n]*\b(environ|getenv)\b")
SETTINGS_MODULE = REPO_ROOT / "guidance" / "settings.py"
SOURCES = [*REPO_ROOT.glob("guidance/**/*.py"), *REPO_ROOT.glob("ingest/**/*.py"), REPO_ROOT / "app.py",
           *REPO_ROOT.glob("officer_page/*.py")]

# A real model folder, so GUIDANCE_EMBEDDING_MODEL's check that it holds weights passes.
MODEL_FOLDER = str(packaged_model_dir())
# variable, value in the environment, field, value read
EXAMPLES = [
    ("GUIDANCE_CORPUS_DIR", "/srv/council/docs", "corpus_dir", Path("/srv/council/docs")),
    ("GUIDANCE_INDEX_DIR", "/srv/council/index", "index_dir", Path("/srv/council/index")),
    ("GUIDANCE_FEEDBACK_DB", "/srv/council/feedback.sqlite3", "feedback_db", Path("/srv/council/feedback.sqlite3")),
    ("GUIDANCE_EVAL_RUNS_DIR", "/srv/council/runs", "eval_runs_dir", Path("/srv/council/runs")),
    ("GUIDANCE_LLM", " Ollama ", "llm", "ollama"),
    ("GUIDANCE_LLM_URL", "http://127.0.0.1:11434", "llm_url", "http://127.0.0.1:11434"),
    ("GUIDANCE_LLM_MODEL", "qwen2.5:1.5b", "llm_model", "qwen2.5:1.5b"),
    ("GUIDANCE_LLM_TIMEOUT", "7.5", "llm_timeout", 7.5),
    ("GUIDANCE_LLM_RETRIES", "3", "llm_retries", 3),
    ("OPENAI_API_KEY", "sk-test", "openai_api_key", SecretStr("sk-test")),
    ("GUIDANCE_EMBEDDING_BACKEND", "torch", "embedding_backend", "torch"),
    ("GUIDANCE_MODEL_CACHE", "/srv/cache", "model_cache", Path("/srv/cache")),
    ("GUIDANCE_EMBEDDING_MODEL", MODEL_FOLDER, "embedding_model", Path(MODEL_FOLDER)),
    ("XDG_CACHE_HOME", "/home/officer/.cache", "xdg_cache_home", Path("/home/officer/.cache")),
    ("GUIDANCE_CHROMA_URL", " http://chroma.internal:8000 ", "chroma_url", "http://chroma.internal:8000"),
    ("GUIDANCE_CORRECTIONS_FILE", "/srv/council/corrections.yaml", "corrections_file", Path("/srv/council/corrections.yaml")),
    ("GUIDANCE_OFFICER_PASSWORD", "s3cret", "officer_password", SecretStr("s3cret")),
]
BAD_VALUES = [
    ("GUIDANCE_LLM_TIMEOUT", "soon", "GUIDANCE_LLM_TIMEOUT='soon' is not valid: input should be a valid number"),
    ("GUIDANCE_LLM_TIMEOUT", "inf", "GUIDANCE_LLM_TIMEOUT='inf' is not valid: input should be a finite number"),
    ("GUIDANCE_LLM_RETRIES", "-1", "GUIDANCE_LLM_RETRIES='-1' is not valid: input should be greater than or equal to 0"),
    ("GUIDANCE_LLM_RETRIES", "99999999999", "GUIDANCE_LLM_RETRIES='99999999999' is not valid: input should be less than or equal to 5"),
    ("GUIDANCE_EMBEDDING_BACKEND", "gpu", "GUIDANCE_EMBEDDING_BACKEND='gpu' is not valid: input should be 'auto', 'onnx' or 'torch'"),
    ("GUIDANCE_LLM", "banana", "GUIDANCE_LLM='banana' is not a language model backend; choose one of: extractive, llamacpp"),
    ("GUIDANCE_CHROMA_URL", "localhost:8000", "GUIDANCE_CHROMA_URL='localhost:8000' is not a Chroma server address"),
    ("GUIDANCE_EMBEDDING_MODEL", "/srv/no-model", "GUIDANCE_EMBEDDING_MODEL='/srv/no-model' is not a sentence-transformers "
     "model folder (no model.safetensors)"),
]


def test_the_pattern_finds_environment_reads():
    for line in ('os.environ.get("GUIDANCE_LLM")', "os.getenv('GUIDANCE_INDEX_DIR')", "from os import environ, path",
                 'os.environ["X"] = "1"'):
        assert READS_ENVIRONMENT.search(line), line
    assert not READS_ENVIRONMENT.search("os.replace(draft, path)")


def test_only_the_settings_module_reads_the_environment():
    readers = [str(path.relative_to(REPO_ROOT)) for path in SOURCES
               if path != SETTINGS_MODULE and READS_ENVIRONMENT.search(path.read_text(encoding="utf-8"))]
    assert readers == []
    assert READS_ENVIRONMENT.search(SETTINGS_MODULE.read_text(encoding="utf-8"))


def test_the_suite_starts_with_no_setting_from_the_shell():
    """tests/conftest.py clears every variable the Settings model reads, so none set in a shell leaks in; it sets
    only where members' data goes, to a temporary folder."""
    moved = {"GUIDANCE_FEEDBACK_DB", "GUIDANCE_EVAL_RUNS_DIR"}
    assert not (set(Settings.variables()) - moved) & set(os.environ)
    assert all(not Path(os.environ[variable]).is_relative_to(REPO_ROOT) for variable in moved)


def test_the_examples_cover_every_setting():
    assert sorted(variable for variable, *_ in EXAMPLES) == sorted(Settings.variables())


@pytest.mark.parametrize(("variable", "raw", "field", "expected"), EXAMPLES)
def test_each_variable_is_read_with_its_type(monkeypatch, variable, raw, field, expected):
    default = getattr(load_settings(), field)
    monkeypatch.setenv(variable, raw)
    assert getattr(load_settings(), field) == expected != default


@pytest.mark.parametrize("variable", Settings.variables())
def test_an_empty_variable_means_the_default(monkeypatch, variable):
    monkeypatch.setenv(variable, "")
    assert load_settings() == Settings()


def test_defaults(monkeypatch):
    for moved_by_the_suite in ("GUIDANCE_FEEDBACK_DB", "GUIDANCE_EVAL_RUNS_DIR"):
        monkeypatch.delenv(moved_by_the_suite)
    settings = load_settings()
    assert (settings.corpus_dir, settings.index_dir, settings.feedback_db, settings.eval_runs_dir) == (
        REPO_ROOT / "corpus", REPO_ROOT / ".index", REPO_ROOT / "feedback.sqlite3", REPO_ROOT / "eval-runs")
    assert settings.backend().label == "extractive"
    assert (settings.llm_timeout, settings.llm_retries, settings.embedding_backend) == (60.0, 1, "auto")
    assert settings.chroma_url is settings.officer_password is settings.openai_api_key is None
    assert settings.model_cache_dir == Path.home() / ".cache" / "member-guidance-assistant"


def test_the_model_cache_is_under_the_users_cache_unless_set(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/tmp/xdg")
    assert load_settings().model_cache_dir == Path("/tmp/xdg/member-guidance-assistant")
    monkeypatch.setenv("GUIDANCE_MODEL_CACHE", "/tmp/models")
    assert load_settings().model_cache_dir == Path("/tmp/models")


def test_flags_win_and_the_backend_gets_every_llm_setting(monkeypatch):
    for variable, value in (("GUIDANCE_LLM", "openai"), ("GUIDANCE_LLM_URL", "http://127.0.0.1:8080/v1"),
                            ("GUIDANCE_LLM_MODEL", "from-env"), ("GUIDANCE_LLM_TIMEOUT", "5"),
                            ("GUIDANCE_LLM_RETRIES", "0"), ("OPENAI_API_KEY", "sk-test")):
        monkeypatch.setenv(variable, value)
    backend = load_settings().backend(model="from-flag")
    assert (backend.name, backend.url, backend.model, backend.timeout_s, backend.retries, backend.api_key) == (
        "openai", "http://127.0.0.1:8080/v1", "from-flag", 5.0, 0, "sk-test")


def test_recorded_settings_mask_secrets(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("GUIDANCE_OFFICER_PASSWORD", "s3cret")
    recorded = load_settings().recorded()
    assert sorted(recorded) == sorted(Settings.variables())
    assert "sk-test" not in str(recorded) and "s3cret" not in str(recorded)
    assert recorded["OPENAI_API_KEY"] == recorded["GUIDANCE_OFFICER_PASSWORD"] == "**********"


def test_a_password_inside_a_server_address_is_masked_in_what_a_run_records(monkeypatch):
    monkeypatch.setenv("GUIDANCE_LLM_URL", "https://svc:S3cretUrlPass@llm.internal.example:8443/v1")
    recorded = load_settings().recorded()
    assert recorded["GUIDANCE_LLM_URL"] == "https://svc:**********@llm.internal.example:8443/v1"
    assert "S3cretUrlPass" not in str(recorded)


@pytest.mark.parametrize(("variable", "raw", "message"), BAD_VALUES)
def test_a_bad_value_is_named(monkeypatch, variable, raw, message):
    monkeypatch.setenv(variable, raw)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("command", [["ask", "Can I tweet?"], ["ingest"], ["changes"], ["eval", "run", "evals/starter.jsonl"]])
def test_the_cli_names_a_bad_setting_and_exits_2(monkeypatch, tmp_path, command):
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("GUIDANCE_LLM_RETRIES", "several")
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "GUIDANCE_LLM_RETRIES='several' is not valid" in fold_whitespace(result.output)
    assert not (tmp_path / "index").exists()  # nothing ran


@pytest.mark.parametrize(("page", "named"), [("app.py", False), ("officer_page/officer_evals.py", True)])
def test_a_page_shows_a_bad_setting_instead_of_a_traceback(monkeypatch, page, named):
    """Named on the officers' page; members are told only that it is not set up and who can see why."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GUIDANCE_EMBEDDING_BACKEND", "gpu")
    shown = AppTest.from_file(str(REPO_ROOT / page), default_timeout=60).run()
    assert not shown.exception
    message = shown.error[0].value.replace("\\", "")
    assert message.startswith("The assistant is not set up correctly")
    assert ("GUIDANCE_EMBEDDING_BACKEND='gpu' is not valid" in message) is named


def test_the_readme_table_lists_every_setting_with_its_meaning():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| Variable | Default | Meaning |"):].split("\n\n")[0].splitlines()[2:]
    rows = {variable.strip(" `"): meaning.strip().replace("`", "") for _, variable, _, meaning, _ in
            (row.split("|") for row in table)}
    assert rows == {Settings.variable(name): field.description.replace("`", "")
                    for name, field in Settings.model_fields.items()}


@pytest.mark.parametrize(("calibration", "problem"), [
    ("{not json", "cannot be read"),
    ('{"coverage_threshold": "high"}', "is not a calibration: it should set some of coverage_threshold"),
    ('{"no_such_weight": 1.0}', "is not a calibration"),
])
def test_an_adapted_models_damaged_calibration_is_named_before_anything_runs(monkeypatch, tmp_path, calibration, problem):
    """A model folder's calibrated.json (scripts/adapt_encoder.py writes it; answering reads it) that cannot be
    used is a bad setting, named at start-up, not a traceback at the first question."""
    folder = tmp_path / "adapted"
    folder.mkdir()
    (folder / "model.safetensors").touch()  # settings check the weights are there, not what they are
    (folder / "calibrated.json").write_text(calibration, encoding="utf-8")
    monkeypatch.setenv("GUIDANCE_EMBEDDING_MODEL", str(folder))
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"GUIDANCE_EMBEDDING_MODEL='{folder}': its {folder / 'calibrated.json'} {problem}")
    (folder / "calibrated.json").write_text('{"coverage_threshold": 0.84, "sections_considered": 5}', encoding="utf-8")
    assert load_settings().embedding_model == folder


@pytest.mark.parametrize(("labelled", "problem"), [
    ("[{", "cannot be read"),
    ('[{"question": "Who is the MP?", "behaviour": "maybe"}]', "is not a list of labelled questions"),
    ('{"question": "Who is the MP?"}', "is not a list of labelled questions"),
])
def test_an_adapted_models_damaged_labelled_questions_are_named_before_anything_runs(monkeypatch, tmp_path, labelled,
                                                                                    problem):
    folder = tmp_path / "adapted"
    folder.mkdir()
    (folder / "model.safetensors").touch()
    (folder / "labelled-questions.json").write_text(labelled, encoding="utf-8")
    monkeypatch.setenv("GUIDANCE_EMBEDDING_MODEL", str(folder))
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(
        f"GUIDANCE_EMBEDDING_MODEL='{folder}': its {folder / 'labelled-questions.json'} {problem}")
    (folder / "labelled-questions.json").write_text('[{"question": "Who is the MP?", "behaviour": "decline"}]',
                                                     encoding="utf-8")
    assert load_settings().embedding_model == folder
