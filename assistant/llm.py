"""The language model, built from settings through LlamaIndex's integrations.

Passed explicitly to whatever uses it: LlamaIndex's global ``Settings`` is never touched
(it falls back to a network model). The integrations are imported only when an LLM is
configured, so the default, extractive path never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

OLLAMA_URL = "http://127.0.0.1:11434"


def make_llm(settings: Settings) -> LLM | None:
    """The configured LLM, or None when Pressroom answers without one."""
    backend = settings.llm_backend
    if backend is None:
        return None
    assert settings.llm_model  # the settings validate this
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if backend == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(
            model=settings.llm_model,
            base_url=settings.llm_url or OLLAMA_URL,
            request_timeout=settings.llm_timeout,
            temperature=0.0,
            context_window=settings.llm_context_window,
            additional_kwargs={"num_predict": settings.llm_max_tokens},
            headers={"Authorization": f"Bearer {key}"} if key else None,
        )
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=settings.llm_model,
        api_base=settings.llm_url,
        # Local servers need no key, but the OpenAI client insists on one.
        api_key=key or "no-key",
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=settings.llm_context_window,
        max_tokens=settings.llm_max_tokens,
        temperature=0.0,
        timeout=settings.llm_timeout,
        max_retries=1,
    )
