"""LLM backends: chosen by flag or environment, clear errors for bad settings, and the CLI's generative path.

Where a model answers, it is the scripted OpenAI stand-in (tests/openai_standin.py), a real HTTP
server on 127.0.0.1 standing in for a hosted model.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from guidance.answering.assistant import Assistant
from guidance.backends import REGISTRY, BackendConfigError, BackendSettings, chat_model
from guidance.cli.main import app
from guidance.settings import SettingsError, load_settings
from ingest.index import open_index
from tests.conftest import free_port
from tests.openai_standin import StandIn

QUESTION = "Can I tweet about a planning application I will vote on?"
LLM_VARIABLES = ("GUIDANCE_LLM", "GUIDANCE_LLM_URL", "GUIDANCE_LLM_MODEL", "GUIDANCE_LLM_TIMEOUT", "GUIDANCE_LLM_RETRIES",
                 "OPENAI_API_KEY")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for variable in LLM_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def test_registry_names_every_backend():
    assert {"extractive", "openai", "ollama", "llamacpp"} <= set(REGISTRY)
    assert chat_model(BackendSettings()) is None  # extractive: no model


def test_flags_win_over_environment_and_environment_over_defaults(monkeypatch):
    monkeypatch.setenv("GUIDANCE_LLM", "Ollama")
    monkeypatch.setenv("GUIDANCE_LLM_MODEL", "from-env")
    monkeypatch.setenv("GUIDANCE_LLM_TIMEOUT", "7.5")
    monkeypatch.setenv("GUIDANCE_LLM_RETRIES", "3")
    settings = load_settings().backend(model="from-flag")
    assert (settings.name, settings.model, settings.timeout_s, settings.retries) == ("ollama", "from-flag", 7.5, 3)
    assert settings.label == "ollama:from-flag"
    assert load_settings().backend(name="openai").name == "openai"
    assert BackendSettings(name="llamacpp", model="/models/qwen.gguf").label == "llamacpp:qwen.gguf"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (BackendSettings(name="gpt"), "Unknown LLM backend 'gpt'; choose one of: extractive, llamacpp, ollama, openai."),
        (BackendSettings(name="openai", url="http://127.0.0.1:9/v1"), "needs a model name"),
        (BackendSettings(name="openai", model="gpt-4o-mini"), "needs OPENAI_API_KEY"),
        (BackendSettings(name="ollama"), "pass --llm-model or set GUIDANCE_LLM_MODEL"),
        (BackendSettings(name="llamacpp", model="/nowhere/model.gguf"), "model file /nowhere/model.gguf does not exist"),
        *[(BackendSettings(name="openai", model="m", url=url), f"address {url!r} is not a web address")
          for url in ("ftp://127.0.0.1:8911/v1", "127.0.0.1:8911/v1", "localhost:8911", "http://127.0.0.1:8911/v1 ")],
    ],
)
def test_bad_settings_are_named(settings, message):
    with pytest.raises(BackendConfigError) as raised:
        chat_model(settings)
    assert message in str(raised.value)


def test_the_api_key_travels_only_over_https_or_to_openai():
    from guidance.backends.openai_compatible import LOCAL_SERVER_KEY

    def key_sent(url):
        return chat_model(BackendSettings(name="openai", model="m", url=url, api_key="sk-secret")).openai_api_key.get_secret_value()

    assert key_sent(None) == key_sent("https://gateway.example.gov.uk/v1") == "sk-secret"
    assert key_sent("http://127.0.0.1:8080/v1") == LOCAL_SERVER_KEY  # plain http: anyone on the way would read it


@pytest.mark.parametrize(("variable", "value"), [("GUIDANCE_LLM_TIMEOUT", "soon"), ("GUIDANCE_LLM_TIMEOUT", "0"),
                                                 ("GUIDANCE_LLM_RETRIES", "-1")])
def test_bad_numbers_in_the_environment_are_named(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"{variable}={value!r} is not valid"):
        load_settings()


def test_ollama_backend_that_is_down_falls_back(seed_index_dir):
    settings = BackendSettings(name="ollama", url=f"http://127.0.0.1:{free_port()}", model="qwen2.5:1.5b", retries=0)
    answer = Assistant(open_index(seed_index_dir), settings, load_settings().embedder()).ask(QUESTION)
    assert answer.mode == "extractive_fallback"
    assert "the language model (ollama:qwen2.5:1.5b) could not be reached" in answer.answer


def test_cli_streams_the_draft_then_prints_the_checked_answer(seed_index_dir):
    with StandIn() as standin:
        result = CliRunner().invoke(app, ["ask", QUESTION, "--index-dir", str(seed_index_dir),
                                          "--llm", "openai", "--llm-url", standin.url, "--llm-model", "standin"])
    assert result.exit_code == 0, result.output
    assert "Draft from the language model, being checked:" in result.stderr
    assert "[§3.3]" in result.stderr  # the draft, as the model wrote it
    assert "[Social Media Guidance §3.3 Legal issues]" in result.stdout.replace("\n", " ")  # the checked answer
    assert "generative · openai:standin" in result.stdout


def test_cli_reads_the_backend_from_the_environment(seed_index_dir, monkeypatch):
    with StandIn() as standin:
        monkeypatch.setenv("GUIDANCE_LLM", "openai")
        monkeypatch.setenv("GUIDANCE_LLM_URL", standin.url)
        monkeypatch.setenv("GUIDANCE_LLM_MODEL", "standin")
        result = CliRunner().invoke(app, ["ask", "--json", QUESTION, "--index-dir", str(seed_index_dir)])
    answer = json.loads(result.stdout)
    assert (answer["mode"], answer["backend"]) == ("generative", "openai:standin")
    assert answer["citations"][0]["section"] == "3.3"


def test_cli_names_a_bad_backend(seed_index_dir):
    result = CliRunner().invoke(app, ["ask", QUESTION, "--index-dir", str(seed_index_dir), "--llm", "gpt"])
    assert result.exit_code == 2  # a bad setting, as for every command
    assert "Unknown LLM backend 'gpt'" in result.stderr
