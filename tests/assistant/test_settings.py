from __future__ import annotations

import re
from pathlib import Path

import pydantic
import pytest

from assistant.settings import PREFIX, Settings, SettingsError, settings_page

SETTINGS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.store == Path(".pressroom")
    assert settings.chroma_url is None
    assert settings.collection == "press"
    assert settings.top_k == 5
    assert settings.candidates == 40
    assert settings.chunk_tokens == 200
    assert settings.chunk_overlap == 24
    assert settings.min_evidence is None
    assert settings.tuning is None
    assert settings.max_sentences == 3
    assert settings.host == "127.0.0.1"
    assert settings.port == 7860
    assert settings.max_file_mb == 20
    assert settings.embed_batch == 512
    assert settings.max_file_bytes == 20 * 1024 * 1024
    assert settings.llm_backend is None and settings.llm_url is None
    assert settings.unsupported == "flag"
    assert settings.claim_min_overlap == pytest.approx(0.55)
    assert settings.claim_min_similarity == pytest.approx(0.4)
    assert settings == Settings.model_validate({})


def test_environment_values_are_parsed() -> None:
    settings = Settings.from_env(
        {
            "PRESSROOM_STORE": "/data/store",
            "PRESSROOM_CHROMA_URL": "http://chroma:8000",
            "PRESSROOM_COLLECTION": "press_2024.v1-a",
            "PRESSROOM_TOP_K": "8",
            "PRESSROOM_CANDIDATES": "100",
            "PRESSROOM_CHUNK_TOKENS": "128",
            "PRESSROOM_CHUNK_OVERLAP": "16",
            "PRESSROOM_MIN_EVIDENCE": "0.5",
            "PRESSROOM_MAX_SENTENCES": "4",
            "PRESSROOM_HOST": "0.0.0.0",
            "PRESSROOM_PORT": "8080",
            "PRESSROOM_MAX_FILE_MB": "0.5",
            "PRESSROOM_EMBED_BATCH": "64",
        }
    )
    assert settings.store == Path("/data/store")
    assert settings.chroma_url == "http://chroma:8000"
    assert settings.collection == "press_2024.v1-a"
    assert settings.top_k == 8
    assert settings.candidates == 100
    assert settings.chunk_tokens == 128
    assert settings.chunk_overlap == 16
    assert settings.min_evidence == pytest.approx(0.5)
    assert settings.max_sentences == 4
    assert settings.host == "0.0.0.0"
    assert settings.port == 8080
    assert settings.max_file_bytes == 512 * 1024
    assert settings.embed_batch == 64


def test_unrelated_and_empty_variables_are_ignored() -> None:
    settings = Settings.from_env(
        {"PRESSROOM_TOP_K": "", "TOP_K": "9", "PRESSROOM_UNKNOWN": "x", "HOME": "/root"}
    )
    assert settings == Settings.model_validate({})


def test_reads_os_environ_when_no_mapping_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSROOM_TOP_K", "11")
    assert Settings.from_env().top_k == 11
    assert Settings.from_env({}).top_k == 5


def test_overrides_beat_the_environment() -> None:
    env = {"PRESSROOM_TOP_K": "8", "PRESSROOM_STORE": "/env/store"}
    settings = Settings.from_env(env, top_k=3, store=Path("/flag/store"))
    assert settings.top_k == 3
    assert settings.store == Path("/flag/store")


def test_none_overrides_are_ignored() -> None:
    env = {"PRESSROOM_TOP_K": "8"}
    settings = Settings.from_env(env, top_k=None, port=None, chroma_url=None)
    assert settings.top_k == 8
    assert settings.port == 7860
    assert settings.chroma_url is None


def test_overrides_are_validated_too() -> None:
    with pytest.raises(SettingsError, match="PRESSROOM_TOP_K"):
        Settings.from_env({}, top_k=0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PRESSROOM_TOP_K", "many"),
        ("PRESSROOM_TOP_K", "0"),
        ("PRESSROOM_TOP_K", "51"),
        ("PRESSROOM_TOP_K", "2.5"),
        ("PRESSROOM_CANDIDATES", "0"),
        ("PRESSROOM_CHUNK_TOKENS", "32"),
        ("PRESSROOM_CHUNK_TOKENS", "512"),
        ("PRESSROOM_CHUNK_OVERLAP", "-1"),
        ("PRESSROOM_MIN_EVIDENCE", "4"),
        ("PRESSROOM_MIN_EVIDENCE", "lots"),
        ("PRESSROOM_MIN_EVIDENCE", "-2"),
        ("PRESSROOM_MAX_SENTENCES", "9"),
        ("PRESSROOM_PORT", "0"),
        ("PRESSROOM_PORT", "70000"),
        ("PRESSROOM_MAX_FILE_MB", "0"),
        ("PRESSROOM_MAX_FILE_MB", "huge"),
        ("PRESSROOM_EMBED_BATCH", "0"),
        ("PRESSROOM_UNSUPPORTED", "hide"),
        ("PRESSROOM_LLM_PROVIDER", "gpt"),
        ("PRESSROOM_CLAIM_MIN_OVERLAP", "2"),
        ("PRESSROOM_LLM_TIMEOUT", "0"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({name: value})
    message = str(info.value)
    assert name in message
    assert message.startswith("invalid settings:")


def test_every_bad_variable_is_named() -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"PRESSROOM_TOP_K": "x", "PRESSROOM_PORT": "-5"})
    assert "PRESSROOM_TOP_K" in str(info.value)
    assert "PRESSROOM_PORT" in str(info.value)


@pytest.mark.parametrize(
    "name", ["ab", "has space", "slash/name", "semi;colon", "ümlaut", "x" * 513]
)
def test_bad_collection_names_are_rejected(name: str) -> None:
    with pytest.raises(SettingsError, match="PRESSROOM_COLLECTION"):
        Settings.from_env({"PRESSROOM_COLLECTION": name})


def test_unknown_override_is_rejected() -> None:
    with pytest.raises(SettingsError, match="PRESSROOM_BOGUS"):
        Settings.from_env({}, bogus=1)


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(pydantic.ValidationError):
        settings.top_k = 9


def test_every_field_has_a_description() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_the_settings_page_is_generated_from_the_code() -> None:
    assert SETTINGS_PAGE.is_file(), f"{SETTINGS_PAGE} is missing"
    assert SETTINGS_PAGE.read_text(encoding="utf-8") == settings_page(), (
        "docs/settings.md is out of date: run `python -m assistant.settings > docs/settings.md`"
    )
    documented = set(re.findall(r"\bPRESSROOM_[A-Z0-9_]+\b", settings_page()))
    assert documented >= {PREFIX + name.upper() for name in Settings.model_fields}
    assert all(field.description for field in Settings.model_fields.values())


def test_llm_settings() -> None:
    settings = Settings.from_env(
        {
            "PRESSROOM_LLM_URL": "http://127.0.0.1:8000/v1/",
            "PRESSROOM_LLM_MODEL": "qwen2.5-7b-instruct",
            "PRESSROOM_LLM_API_KEY": "sk-secret-value",
            "PRESSROOM_LLM_TIMEOUT": "30",
            "PRESSROOM_UNSUPPORTED": "remove",
        }
    )
    assert settings.llm_backend == "openai", "an URL alone means an OpenAI-compatible server"
    assert settings.llm_url == "http://127.0.0.1:8000/v1"
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-secret-value"
    assert "sk-secret-value" not in repr(settings) and "sk-secret-value" not in str(settings)
    assert settings.unsupported == "remove" and settings.llm_timeout == 30
    ollama = Settings.from_env({"PRESSROOM_LLM_PROVIDER": "ollama", "PRESSROOM_LLM_MODEL": "m"})
    assert ollama.llm_backend == "ollama" and ollama.llm_url is None


@pytest.mark.parametrize(
    ("env", "named", "message"),
    [
        ({"PRESSROOM_LLM_URL": "http://x/v1"}, "PRESSROOM_LLM_MODEL", "required"),
        ({"PRESSROOM_LLM_PROVIDER": "ollama"}, "PRESSROOM_LLM_MODEL", "required"),
        (
            {"PRESSROOM_LLM_PROVIDER": "openai", "PRESSROOM_LLM_MODEL": "m"},
            "PRESSROOM_LLM_URL",
            "required",
        ),
        ({"PRESSROOM_LLM_URL": "localhost:8000", "PRESSROOM_LLM_MODEL": "m"}, "LLM_URL", "http"),
    ],
)
def test_incomplete_llm_settings_say_what_is_missing(
    env: dict[str, str], named: str, message: str
) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    assert named in str(info.value) and message in str(info.value)
