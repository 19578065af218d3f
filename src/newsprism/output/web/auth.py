"""Who may read: off the loopback interface, a request carries the app's token (header
``Authorization: Bearer …``, the ``token`` query parameter once, or the cookie that sets); without
a token, only a request naming a loopback host is answered. Every response carries a
Content-Security-Policy that lets no script run at all: scraped text is escaped, and even an
escaping bug could not run it."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

TOKEN_COOKIE = "newsprism_token"
POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


# The Host a browser sends for a page of this machine. A page elsewhere whose name an attacker
# rebinds to 127.0.0.1 (DNS rebinding) sends its own name, and must not read the store.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def trusted_hosts(bound: str) -> list[str]:
    """The Host names answered without a token: the loopback ones and the address the app is bound
    to (as a Host header writes it: an IPv6 address in brackets)."""
    return [*LOOPBACK_HOSTS, f"[{bound}]" if ":" in bound else bound]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guard(token: str | None) -> Callable[[Request, Any], Awaitable[Response]]:
    """The app's HTTP middleware: the token check, with ``token``, and the security headers."""

    # Compared as bytes: ``compare_digest`` refuses text that is not ASCII.
    expected = token.encode("utf-8", "surrogateescape") if token is not None else None

    async def guarded(request: Request, call_next: Any) -> Response:
        if expected is not None:
            given = _given(request)
            if given is None or not secrets.compare_digest(given, expected):
                return PlainTextResponse("a valid token is required", status_code=401)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if expected is not None and request.query_params.get("token"):
            # Percent-encoded: a cookie carries ASCII only.
            response.set_cookie(TOKEN_COOKIE, quote(expected, safe=""), httponly=True, samesite="strict")
        return response

    return guarded


def _given(request: Request) -> bytes | None:
    """The token a request carries, as the bytes sent: a header's value arrives as the Latin-1
    reading of its bytes, the query parameter as UTF-8 text, the cookie percent-encoded."""
    if bearer := _bearer(request.headers.get("authorization")):
        return bearer.encode("latin-1")
    if query := request.query_params.get("token"):
        return query.encode()
    if cookie := request.cookies.get(TOKEN_COOKIE):
        return unquote_to_bytes(cookie)
    return None


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
