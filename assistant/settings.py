"""Every setting of Pressroom, read from the environment in one place.

Each field is documented in README.md (a test checks that), and each can be set as
``PRESSROOM_<NAME>`` (upper case). Command-line flags override the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from pressroom.errors import PressroomError

PREFIX = "PRESSROOM_"


class SettingsError(PressroomError, ValueError):
    """An environment variable holds a value Pressroom cannot use."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    store: Path = Field(Path(".pressroom"), description="Folder of the embedded Chroma store.")
    chroma_url: str | None = Field(
        None, description="URL of a `chroma run` server; when set, used instead of `store`."
    )
    lexical_dir: Path | None = Field(
        None,
        description="Folder of the saved BM25 index (one subfolder per collection), kept "
        "in sync by `pressroom ingest`; default `<store>/lexical`. With `chroma_url` there "
        "is no default: set it to a volume the replicas share, or each builds the index "
        "from the collection at start.",
    )
    chroma_token: SecretStr | None = Field(
        None, description="Token sent to the Chroma server, if it needs one. Never logged."
    )
    chroma_auth_header: str = Field(
        "Authorization",
        pattern=r"^[A-Za-z0-9-]+$",
        description="Header that carries `chroma_token`: `Authorization` sends "
        "`Bearer <token>`; any other (e.g. `X-Chroma-Token`) sends the bare token.",
    )
    collection: str = Field(
        "press",
        min_length=3,
        max_length=512,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Chroma collection name.",
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answerer.")
    candidates: int = Field(
        40, ge=1, le=1000, description="Candidates each retriever returns before fusion."
    )
    retrieval: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid",
        description="`hybrid` fuses the dense (embedding) and BM25 rankings; `dense` or "
        "`bm25` uses one alone (to measure each part; see `pressroom eval --compare`).",
    )
    date_filters: bool = Field(
        True,
        description="Turn what a question says about time into a date window (and "
        "newest-first for `latest`); false ignores it. Explicit dates always apply.",
    )
    condense: Literal["llm", "rules"] = Field(
        "llm",
        description="How a follow-up question is made standalone when an LLM is "
        "configured: `llm` asks it (prompts/condense.yaml), `rules` never does. Without "
        "an LLM the rules always apply.",
    )
    reranker: str | None = Field(
        None,
        description="A sentence-transformers CrossEncoder (local folder, or a hub name "
        "already cached) that reorders the best fused candidates; unset means no reranking.",
    )
    embed_model: str | None = Field(
        None,
        description="Embedding model: a local sentence-transformers folder, or a hub name "
        "already cached; unset means the bundled all-MiniLM-L6-v2. Changing it needs "
        "`pressroom ingest --rebuild`.",
    )
    embed_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="What runs the embedding model: `onnx` (ONNX Runtime, no PyTorch: "
        "fast start-up, CPU only; the model is exported to ONNX once, into `onnx_cache`), "
        "`torch` (PyTorch: GPUs, any sentence-transformers model), or `auto` (`onnx` on a "
        "CPU when the model exports, else `torch`). Both give the same vectors.",
    )
    embed_int8: bool = Field(
        False,
        description="Run the ONNX encoder with int8-quantised weights: faster ingest on a "
        "CPU, slightly different vectors (recorded in the store: needs `pressroom ingest "
        "--rebuild`). See docs/startup.md for its retrieval figures.",
    )
    onnx_cache: Path | None = Field(
        None,
        description="Folder of the cached ONNX exports of embedding models (with their "
        "sha256 in `manifest.json`); default `$XDG_CACHE_HOME/pressroom/onnx` "
        "(`~/.cache/pressroom/onnx`).",
    )
    query_prefix: str = Field(
        "", description="Text put before each question when embedding it (e5: `query: `)."
    )
    passage_prefix: str = Field(
        "", description="Text put before each passage when embedding it (e5: `passage: `)."
    )
    chunk_tokens: int = Field(
        200, ge=64, le=254, description="Chunk size in the embedding model's word pieces."
    )
    chunk_overlap: int = Field(
        24, ge=0, le=100, description="Overlap between chunks, in word pieces."
    )
    min_evidence: float | None = Field(
        None,
        ge=0,
        le=3,
        description="Evidence score below which the answer is a refusal (overrides the "
        "tuning's `min_evidence`, see docs/tuning.md); unset means the tuning's value.",
    )
    tuning: Path | None = Field(
        None,
        description="TOML file of the answering model's weights and thresholds (fields in "
        "docs/tuning.md; a file may set any subset); unset means the shipped "
        "`assistant/answering/tuning.toml`.",
    )
    max_sentences: int = Field(3, ge=1, le=8, description="Sentences in an extractive answer.")
    llm_provider: Literal["openai", "ollama"] | None = Field(
        None,
        description="`openai` (any OpenAI-compatible server) or `ollama`; unset means "
        "`openai` when `llm_url` is set, else no LLM (the extractive answerer).",
    )
    llm_url: str | None = Field(
        None,
        validate_default=True,
        description="Base URL of the LLM server (e.g. `http://127.0.0.1:8000/v1`); "
        "for Ollama it defaults to `http://127.0.0.1:11434`.",
    )
    llm_model: str | None = Field(
        None,
        validate_default=True,
        description="Model name the LLM server knows; required when an LLM is configured.",
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key sent to the LLM server, if it needs one. Never logged."
    )
    llm_timeout: float = Field(
        60.0, gt=0, le=3600, description="Seconds to wait for the LLM before answering without it."
    )
    llm_max_tokens: int = Field(512, ge=16, le=32_768, description="Most tokens the LLM writes.")
    llm_context_window: int = Field(
        8192, ge=512, le=1_048_576, description="The model's context window, in tokens."
    )
    unsupported: Literal["flag", "remove"] = Field(
        "flag",
        description="What happens to an answer sentence the cited passages do not support: "
        "`flag` keeps it marked unsupported, `remove` drops it.",
    )
    claim_min_overlap: float = Field(
        0.55,
        ge=0,
        le=1,
        description="Share of a sentence's IDF-weighted terms its cited passages must contain.",
    )
    claim_min_similarity: float = Field(
        0.4,
        ge=-1,
        le=1,
        description="Cosine similarity a sentence must reach with the closest sentence of "
        "its cited passages.",
    )
    allowed_origins: str = Field(
        "",
        description="Comma-separated origins whose pages may call the API (the widget); "
        "same-origin is always allowed, every other origin refused.",
    )
    api_token: SecretStr | None = Field(
        None,
        description="When set, the API and the widget need this token (or one signed with it).",
    )
    auth: SecretStr | None = Field(
        None,
        description="`user:password` for the chat's login page (Gradio auth); unset, the "
        "chat is open to whoever reaches the server. Never logged.",
    )
    rate_limit_per_minute: int = Field(
        60, ge=0, le=100_000, description="API requests per minute per client; 0 turns it off."
    )
    token_rate_limit_per_minute: int = Field(
        0,
        ge=0,
        le=100_000,
        description="API requests per minute per widget token (one page's conversation), "
        "on top of the per-client limit, so one busy page cannot starve the others; 0 "
        "turns it off.",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks (CIDR) of the reverse proxies "
        "whose `X-Forwarded-For`, `X-Forwarded-Proto` and `Forwarded` headers are "
        "believed; from anyone else they are ignored. Unset: no proxy is trusted.",
    )
    max_concurrent: int = Field(
        2,
        ge=1,
        le=1000,
        description="Answers computed at once (API and chat); about the number of CPU "
        "cores: more only makes them slow each other down.",
    )
    max_waiting: int = Field(
        32,
        ge=0,
        le=10_000,
        description="Answers that may wait for one of the `max_concurrent` slots; past "
        "that the API answers 503 with `Retry-After` at once, and the chat says it is busy.",
    )
    max_question_chars: int = Field(
        2000, ge=10, le=100_000, description="Longest question accepted."
    )
    max_history_turns: int = Field(20, ge=0, le=1000, description="Most earlier turns accepted.")
    max_request_bytes: int = Field(
        65_536, ge=1024, le=10_000_000, description="Largest API request body accepted."
    )
    max_file_mb: float = Field(
        20,
        gt=0,
        le=4096,
        description="Largest file `pressroom ingest` reads, in MiB; bigger ones are reported "
        "as failed and skipped.",
    )
    feed_fields: str = Field(
        "",
        description="Which fields of a JSON, JSON Lines or CSV feed hold what, as "
        "`title=headline,date=pubDate,body=body_html,url=link,id=nid`; tried before the "
        "default names. `pressroom ingest --fields` overrides it.",
    )
    host: str = Field("127.0.0.1", description="Address `pressroom serve` listens on.")
    port: int = Field(7860, ge=1, le=65535, description="Port `pressroom serve` listens on.")
    examples: str | None = Field(
        None,
        description="Example questions the chat offers, separated by `|` (e.g. `Who chaired "
        "the 2024 ministerial meeting?|What was decided about glass eel exports?`); unset: "
        "questions about the archive's newest releases.",
    )

    device: Literal["auto", "cpu", "cuda"] = Field(
        "auto",
        description="Where the embedding model runs: `cuda` (a GPU, in fp16), `cpu`, or "
        "`auto` (`cuda` when PyTorch sees one).",
    )
    embed_batch: int = Field(
        512,
        ge=1,
        le=5000,
        description="Chunks embedded and written together by `pressroom ingest`: more lets "
        "the model sort them by length (less padding); fewer shows progress sooner and "
        "redoes less after a crash.",
    )

    @property
    def lexical_folder(self) -> Path | None:
        """Where this collection's BM25 index is saved, or None (built at each start)."""
        if self.lexical_dir is not None:
            return self.lexical_dir / self.collection
        if self.chroma_url:
            return None
        return self.store / "lexical" / self.collection

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @field_validator("feed_fields")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        from ingest.formats.records import parse_fields

        parse_fields(value)  # raises ValueError naming the bad item
        return value

    @field_validator("llm_url")
    @classmethod
    def _http_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
        if value is None and info.data.get("llm_provider") == "openai":
            raise ValueError("required when PRESSROOM_LLM_PROVIDER is openai")
        return value.rstrip("/") if value else value

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        from assistant.web.security import parse_proxies

        parse_proxies(value)
        return value

    @field_validator("auth")
    @classmethod
    def _user_and_password(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            user, sep, password = value.get_secret_value().partition(":")
            if not (user and sep and password):
                raise ValueError("expected user:password, both non-empty")
        return value

    @field_validator("llm_model")
    @classmethod
    def _model_when_llm(cls, value: str | None, info: ValidationInfo) -> str | None:
        configured = info.data.get("llm_url") or info.data.get("llm_provider")
        if configured and not (value and value.strip()):
            raise ValueError(
                "required when an LLM is configured (PRESSROOM_LLM_URL or PRESSROOM_LLM_PROVIDER)"
            )
        return value

    @property
    def llm_backend(self) -> Literal["openai", "ollama"] | None:
        """Which LLM integration answers, or None for the extractive answerer."""
        if self.llm_provider:
            return self.llm_provider
        return "openai" if self.llm_url else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``PRESSROOM_*`` variables, then ``overrides`` (None values ignored)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in cls.model_fields:
            raw = env.get(PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(_problem(err) for err in exc.errors())
            raise SettingsError(
                f"invalid settings: {problems}. Fix the variable (or flag), or unset it for "
                "the default (docs/settings.md lists them)"
            ) from None


def _problem(err: Any) -> str:
    """``PRESSROOM_TOP_K: expected a valid integer, got 'ten'``: one setting's problem."""
    name = PREFIX + ".".join(str(p) for p in err["loc"]).upper()
    expected = str(err["msg"]).removeprefix("Input should be ").removeprefix("Value error, ")
    expected = expected.removeprefix("expected ")
    if err.get("type") == "extra_forbidden":
        return f"{name}: expected a known setting, got an unknown one"
    field = Settings.model_fields.get(str(err["loc"][0])) if err["loc"] else None
    if field is not None and "SecretStr" in str(field.annotation):
        return f"{name}: expected {expected}"  # a secret is never echoed
    return f"{name}: expected {expected}, got {err.get('input')!r}"


SETTINGS_PAGE_INTRO = """# Settings

Every setting is read from the environment as `PRESSROOM_<NAME>`, in one place
(`assistant/settings.py`); command-line flags win over the environment. An invalid value
stops the command with one line that names the variable, what was expected and what was
given (exit status 2); a secret is never echoed.

This page is generated from the fields of `Settings`: after adding or changing one, run
`python -m assistant.settings > docs/settings.md` (`tests/assistant/test_settings.py`
checks the page matches the code).
"""


def _default_text(name: str) -> str:
    field = Settings.model_fields[name]
    value = field.default
    if value is None:
        return "unset"
    if value == "":
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def _allowed_text(name: str) -> str:
    field = Settings.model_fields[name]
    annotation = str(field.annotation)
    if annotation.startswith("typing.Literal") or "Literal[" in annotation:
        args = getattr(field.annotation, "__args__", ())
        choices = [a for a in args if a is not type(None)]
        inner = [getattr(c, "__args__", (c,)) for c in choices]
        return ", ".join(f"`{v}`" for group in inner for v in group)
    bounds = []
    for item in field.metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            if getattr(item, attr, None) is not None:
                bounds.append(f"{sign} {getattr(item, attr)}")
    return ", ".join(bounds)


def settings_page() -> str:
    """docs/settings.md: every field with its variable, default, allowed values and meaning."""
    rows = [
        "| Variable | Default | Allowed | Meaning |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        meaning = " ".join((field.description or "").split()).replace("|", "\\|")
        rows.append(
            f"| `{PREFIX}{name.upper()}` | {_default_text(name)} | {_allowed_text(name)} "
            f"| {meaning} |"
        )
    return SETTINGS_PAGE_INTRO + "\n" + "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(settings_page(), end="")
