"""Who may read: off the loopback interface, a request carries the app's token (header
``Authorization: Bearer …``, the ``token`` query parameter once, or the cookie that sets). Every
response carries a Content-Security-Policy that lets no script run at all: scraped text is escaped,
and even an escaping bug could not run it."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

TOKEN_COOKIE = "newsprism_token"
POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guard(token: str | None) -> Callable[[Request, Any], Awaitable[Response]]:
    """The app's HTTP middleware: the token check, with ``token``, and the security headers."""

    async def guarded(request: Request, call_next: Any) -> Response:
        given = None
        if token is not None:
            given = (
                _bearer(request.headers.get("authorization"))
                or request.query_params.get("token")
                or request.cookies.get(TOKEN_COOKIE)
            )
            if given is None or not secrets.compare_digest(given, token):
                return PlainTextResponse("a valid token is required", status_code=401)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if token is not None and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    return guarded


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
