"""Trusted proxies over real HTTP: from a trusted address `X-Forwarded-For`,
`X-Forwarded-Proto` and `Forwarded` say who the client is; from any other they are
ignored. Clients connect from distinct loopback addresses (127.0.0.0/8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from assistant.web.proxies import TrustedProxies

Serve = Callable[[Any], str]


async def echo(scope: Any, receive: Any, send: Any) -> None:
    """Answers ``client-address scheme``."""
    if scope["type"] != "http":
        return
    body = f"{scope['client'][0]} {scope['scheme']}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def seen(url: str, source: str, headers: dict[str, str] | None = None) -> str:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport) as client:
        return client.get(url, headers=headers or {}).text


def test_forwarded_headers_count_only_from_a_trusted_proxy(serve: Serve) -> None:
    url = serve(TrustedProxies(echo, ["127.0.0.2", "127.0.1.0/24"]))
    forged = {"X-Forwarded-For": "10.9.9.9", "X-Forwarded-Proto": "https"}
    assert seen(url, "127.0.0.3", forged) == "127.0.0.3 http"  # not a proxy: ignored
    assert seen(url, "127.0.0.2", forged) == "10.9.9.9 https"
    assert seen(url, "127.0.1.7", forged) == "10.9.9.9 https"  # within the network
    assert seen(url, "127.0.0.2") == "127.0.0.2 http"  # a proxy asking for itself


def test_the_client_is_the_last_address_no_trusted_proxy_added(serve: Serve) -> None:
    url = serve(TrustedProxies(echo, ["127.0.0.2"]))
    # A client that sends its own X-Forwarded-For to the proxy cannot choose its address:
    # the proxy appends the real one, and that one counts.
    chain = {"X-Forwarded-For": "1.2.3.4, 10.0.0.5"}
    assert seen(url, "127.0.0.2", chain) == "10.0.0.5 http"


def test_the_standard_forwarded_header_counts_too(serve: Serve) -> None:
    url = serve(TrustedProxies(echo, ["127.0.0.2"]))
    header = {"Forwarded": 'for="[2001:db8::7]:4711";proto=https, for=127.0.0.2'}
    assert seen(url, "127.0.0.2", header) == "2001:db8::7 https"
    assert seen(url, "127.0.0.3", header) == "127.0.0.3 http"


def test_no_proxies_means_no_header_counts(serve: Serve) -> None:
    url = serve(TrustedProxies(echo, []))
    assert seen(url, "127.0.0.1", {"X-Forwarded-For": "10.9.9.9"}) == "127.0.0.1 http"
