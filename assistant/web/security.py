"""Who may call the API: allowed origins, per-client rate limits, bearer tokens, and
which reverse proxies may say who the client is.

Widget tokens are short-lived and signed with the API token (HMAC-SHA256), so a page's
own server can hand one to the browser without ever exposing the API token itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

# How long the release viewer links in an answer stay valid when the API needs a token.
VIEWER_TOKEN_TTL_S = 3600


def parse_origins(value: str | None) -> frozenset[str]:
    """``"https://a.example, http://b:8080"`` -> normalised origins (no trailing slash)."""
    return frozenset(o.strip().rstrip("/").lower() for o in (value or "").split(",") if o.strip())


def origin_allowed(origin: str | None, own_origin: str, allowed: Iterable[str]) -> bool:
    """Same-origin requests (and those with no Origin header, i.e. not from a browser page
    elsewhere) are always allowed; other origins only when listed."""
    if not origin:
        return True
    origin = origin.rstrip("/").lower()
    return origin == own_origin.rstrip("/").lower() or origin in set(allowed)


def sign_widget_token(secret: str, ttl_seconds: int = 3600, now: float | None = None) -> str:
    """A token the widget can send as ``Authorization: Bearer …`` until it expires."""
    expires = int((now if now is not None else time.time()) + ttl_seconds)
    payload = str(expires).encode()
    signature = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return "w1." + payload.decode() + "." + base64.urlsafe_b64encode(signature).decode().rstrip("=")


def token_valid(presented: str | None, secret: str, now: float | None = None) -> bool:
    """The API token itself, or an unexpired widget token signed with it."""
    if not presented:
        return False
    if hmac.compare_digest(presented.encode(), secret.encode()):
        return True
    parts = presented.split(".")
    if len(parts) != 3 or parts[0] != "w1" or not parts[1].isdigit():
        return False
    expected = sign_widget_token(secret, 0, now=float(parts[1]))
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        return False
    return int(parts[1]) >= (now if now is not None else time.time())


@dataclass
class RateLimiter:
    """A token bucket per client: ``per_minute`` requests, refilled continuously."""

    per_minute: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return math.ceil((1 - tokens) / rate * 10) / 10


def parse_proxies(value: str | None) -> list[str]:
    """``"127.0.0.1, 10.0.0.0/8"`` -> the addresses and networks of trusted proxies.

    Raises ValueError naming the entry that is neither an address nor a network.
    """
    found = []
    for entry in (value or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            if "/" in entry:
                ipaddress.ip_network(entry, strict=False)
            else:
                ipaddress.ip_address(entry)
        except ValueError:
            raise ValueError(f"not an IP address or network (CIDR): {entry!r}") from None
        found.append(entry)
    return found


def forwarded_as_x_forwarded(value: str) -> tuple[list[str], str | None]:
    """An RFC 7239 ``Forwarded`` header -> (its ``for=`` addresses in order, the last
    ``proto=``), in the form ``X-Forwarded-For`` / ``X-Forwarded-Proto`` carry them.

    ``for="[2001:db8::1]:4711"`` gives ``[2001:db8::1]:4711``; obfuscated identifiers
    (``for=_hidden``, ``for=unknown``) are kept, so they are never taken for a proxy.
    """
    addresses: list[str] = []
    proto = None
    for element in value.split(","):
        for pair in element.split(";"):
            name, _, raw = pair.partition("=")
            name, raw = name.strip().lower(), raw.strip().strip('"')
            if name == "for" and raw:
                addresses.append(raw)
            elif name == "proto" and raw:
                proto = raw.lower()
    return addresses, proto
