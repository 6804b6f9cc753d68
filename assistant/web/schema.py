"""What the HTTP API answers, as pydantic models: FastAPI publishes them in
``/openapi.json`` (and ``/docs``), so a client generator knows the Answer and the
chat-completion chunks. The fields mirror ``Answer.to_dict`` (assistant/answering/model.py)
plus each citation's ``viewer`` link; a test validates real responses against the
published schema (tests/assistant/web/test_schema.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class CitationOut(BaseModel):
    n: int = Field(description="The number the answer's [n] markers use.")
    release_id: str
    source: str = Field(description="The release's URL, or the file it was read from.")
    title: str | None
    published: str | None = Field(description="YYYY-MM-DD, or null when undated.")
    place: str | None
    text: str = Field(description="The cited passage.")
    quote: str = Field(description="The span of the passage that supports the answer.")
    start: int = Field(description="Offset of the quote in the release's cleaned body.")
    end: int
    score: float
    supported: bool = Field(description="Whether the claim check found the quote backs it.")
    also_in: list[str] = Field(description="Releases that repeat the same passage.")
    viewer: str = Field(description="Link into the release viewer, on the quoted span.")


class ClaimOut(BaseModel):
    text: str
    cited: list[int]
    supported: bool
    reason: str | None = Field(
        description="Why the sentence is unsupported (null when it is supported)."
    )
    overlap: float
    similarity: float


class InterpretedOut(BaseModel):
    query: str = Field(description="What was searched (a follow-up carries earlier words).")
    date_from: str | None
    date_to: str | None
    latest: bool
    sources: list[str]


class RefusalOut(BaseModel):
    rule: str = Field(description="The rule of the evidence gate that refused.")
    detail: str = Field(description="Why, in words for the reader.")


class AnswerOut(BaseModel):
    """The answer to one question (``POST /api/ask``)."""

    model_config = ConfigDict(extra="allow")

    question: str
    answer: str = Field(description="The text, with [n] markers citing `citations`.")
    refused: bool
    citations: list[CitationOut]
    claims: list[ClaimOut]
    answered_by: Literal["extractive", "llm"]
    note: str | None
    interpreted: InterpretedOut
    timings_ms: dict[str, float]
    refusal: RefusalOut | None = Field(
        None, description="Present on a refusal: the rule that fired and why."
    )


class HealthOut(BaseModel):
    status: str
    store_reachable: bool
    chunks: int
    releases: int
    embedder: str
    collection: str
    answerer: str


class AnswerExtras(BaseModel):
    """The Answer's fields that ride along with an OpenAI-style completion (generic
    clients ignore them; the widget reads them)."""

    citations: list[CitationOut]
    claims: list[ClaimOut]
    refused: bool
    answered_by: Literal["extractive", "llm"]
    note: str | None
    interpreted: InterpretedOut
    refusal: RefusalOut | None = None


class AssistantMessage(BaseModel):
    role: Literal["assistant"]
    content: str


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: Literal["stop"]


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(AnswerExtras):
    """``POST /v1/chat/completions`` without ``stream``."""

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int
    delta: Delta
    finish_reason: Literal["stop"] | None


class ChatCompletionChunk(BaseModel):
    """One server-sent event of ``POST /v1/chat/completions`` with ``stream: true``. The
    last chunk (``finish_reason: "stop"``) also carries the checked ``answer`` and the
    Answer's fields (citations, claims, refused, ...); then comes ``data: [DONE]``."""

    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChunkChoice]
    answer: str | None = None
    citations: list[CitationOut] | None = None
    claims: list[ClaimOut] | None = None
    refused: bool | None = None
    answered_by: Literal["extractive", "llm"] | None = None
    note: str | None = None
    interpreted: InterpretedOut | None = None
    refusal: RefusalOut | None = None


def chat_responses() -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of the chat endpoint: JSON, or an event stream of chunks."""
    return {
        200: {
            "model": ChatCompletion,
            "description": "A completion, or with `stream: true` server-sent events, each "
            "`data: <ChatCompletionChunk>`, ending with `data: [DONE]`.",
            "content": {
                "text/event-stream": {
                    "schema": {"$ref": "#/components/schemas/ChatCompletionChunk"}
                }
            },
        }
    }


def add_chunk_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    """Put ChatCompletionChunk (and what it refers to) in the schema's components."""
    schema = ChatCompletionChunk.model_json_schema(ref_template="#/components/schemas/{model}")
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["ChatCompletionChunk"] = schema
    return openapi


class ModelCard(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(BaseModel):
    """``GET /v1/models``: ``pressroom`` (content ends with the sources) and
    ``pressroom-bare`` (the answer text alone)."""

    object: Literal["list"]
    data: list[ModelCard]
