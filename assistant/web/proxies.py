"""Whose word counts for who the client is: the trusted reverse proxies.

Behind a proxy every request comes from the proxy's address. Only from the addresses and
networks in ``PRESSROOM_TRUSTED_PROXIES`` are ``X-Forwarded-For``, ``X-Forwarded-Proto``
and the standard ``Forwarded`` header (RFC 7239) believed; from anyone else they are
ignored, so a client cannot pick its own address to dodge the rate limit. Uvicorn's
``ProxyHeadersMiddleware`` does the work (the client is the last address in the chain that
is not a trusted proxy); this adds ``Forwarded``, which it does not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.web.security import forwarded_as_x_forwarded


class TrustedProxies:
    """ASGI middleware: the client address and scheme as the trusted proxies report them."""

    def __init__(self, app: Any, proxies: Sequence[str]) -> None:
        self.app = app
        self.proxies = list(proxies)
        self._headers = ProxyHeadersMiddleware(app, trusted_hosts=self.proxies)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.proxies or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        if client and client[0] in self._headers.trusted_hosts:
            scope = _with_forwarded(scope)
        await self._headers(scope, receive, send)


def _with_forwarded(scope: Any) -> Any:
    """The scope with a ``Forwarded`` header's addresses and scheme as ``X-Forwarded-*``
    when the proxy sent no ``X-Forwarded-For`` of its own."""
    headers: list[tuple[bytes, bytes]] = list(scope["headers"])
    names = {name for name, _ in headers}
    if b"forwarded" not in names or b"x-forwarded-for" in names:
        return scope
    value = ", ".join(v.decode("latin1") for n, v in headers if n == b"forwarded")
    addresses, proto = forwarded_as_x_forwarded(value)
    if addresses:
        headers.append((b"x-forwarded-for", ", ".join(addresses).encode("latin1")))
    if proto and b"x-forwarded-proto" not in names:
        headers.append((b"x-forwarded-proto", proto.encode("latin1")))
    return {**scope, "headers": headers}
