"""Access logs, and request sizes refused before anything reads the body."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

Handler = Callable[[HttpRequest], HttpResponse]

access_log = logging.getLogger("assure.access")


class AccessLogMiddleware:
    """One log line a request: method, path (never the query, which may hold names, nor a
    one-time token), status and time taken. Runs inside RequestIdMiddleware, so the line
    carries the request id."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        path = _without_secrets(request)
        access_log.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def _without_secrets(request: HttpRequest) -> str:
    """The path, with a one-time token in it (a first sign-in link) replaced."""
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match else None
    return request.path.replace(token, "[token]") if token else request.path


def _small_limits() -> list[int]:
    return [int(v) for v in settings.ASSURE_SMALL_REQUEST_LIMITS.values()]


def request_limit(path: str) -> int:
    """The largest request body accepted at this path: larger on the upload pages, smaller on
    the public pages that take only a short form (ASSURE_SMALL_REQUEST_LIMITS)."""
    try:
        view_name = resolve(path).view_name
    except Resolver404:
        return settings.ASSURE_MAX_REQUEST_BYTES
    if view_name in settings.ASSURE_SMALL_REQUEST_LIMITS:
        return int(settings.ASSURE_SMALL_REQUEST_LIMITS[view_name])
    return max(settings.ASSURE_MAX_REQUEST_BYTES, settings.ASSURE_UPLOAD_LIMITS.get(view_name, 0))


class RequestSizeLimitMiddleware:
    """Refuse a body larger than its page accepts from its Content-Length, before it is read.

    A body without a length (chunked) is refused too: browsers always send one for forms, and
    only a length lets the limit be checked before reading.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_TRANSFER_ENCODING"):
            return _refusal(411, "Sorry, the service cannot accept that request", "")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(400, "Sorry, there is a problem with that request", "")
        if length > min(settings.ASSURE_MAX_REQUEST_BYTES, *_small_limits()):
            limit = request_limit(request.path_info)
            if length > limit:
                return _refusal(413, "The file or form you sent is too large", _megabytes(limit))
        return self.get_response(request)


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / 1024 / 1024:.0f} MB"


def _refusal(status: int, title: str, limit: str) -> HttpResponse:
    """A page of its own (no session or user is read, so nothing touches the body)."""
    body = render_to_string("ops/refused.html", {"title": title, "limit": limit})
    return HttpResponse(body, status=status)
