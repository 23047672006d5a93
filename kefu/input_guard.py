"""Refuse input no handler can store, before any handler sees it: NUL characters (anywhere)
and invalid UTF-8 (in the query and the body) with 422, and bodies over the size limits (413).

Why here and not in each form or schema: PostgreSQL rejects NUL in text outright and SQLite and
psycopg cannot encode lone surrogates, so one such character anywhere used to end as a 500
deep inside an action. One check at the edge covers every API operation, every HTML form and
the chat's endpoints alike. API callers get the API's error JSON; a person posting a form gets
the same messages on an error page.

The raw-mail webhook is exempt from the body checks: its body is an RFC 5322 message whose
8-bit parts may well be GBK or Big5.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.validation import localize_errors

# Views whose body is not text to check (url names, with their namespace).
RAW_BODY_VIEWS = {"api:inbound_email"}
_PART_NAME = re.compile(rb';\s*name="([^"]*)"')
_PART_IS_FILE = re.compile(rb";\s*filename\*?=")


@dataclass(frozen=True)
class Problem:
    """One refused piece of input, as a pydantic-style error for ``localize_errors``."""

    loc: tuple[str | int, ...]
    kind: str  # "nul_character" or "invalid_utf8"

    def as_error(self) -> dict[str, Any]:
        return {"loc": self.loc, "type": self.kind}


def _text_problem(loc: tuple[str | int, ...], raw: bytes) -> Problem | None:
    if b"\x00" in raw:
        return Problem(loc, "nul_character")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return Problem(loc, "invalid_utf8")
    return None


def _unquote(part: bytes) -> bytes:
    return unquote_to_bytes(part.replace(b"+", b" "))


def encoded_pairs_problems(raw: bytes, where: str) -> list[Problem]:
    """Problems in ``a=1&b=2`` data (a query string or a urlencoded form), per field."""
    problems = []
    for pair in raw.split(b"&"):
        name, _sep, value = pair.partition(b"=")
        field = _unquote(name).decode("utf-8", "replace").replace("\x00", "")
        for part in (name, value):
            problem = _text_problem((where, field), _unquote(part))
            if problem is not None:
                problems.append(problem)
                break
    return problems


def path_problems(request: HttpRequest) -> list[Problem]:
    # Broken UTF-8 cannot reach a view through the path: uvicorn turns it into U+FFFD and Django
    # re-escapes what is left (%E9), so NUL is all there is to find.
    return [Problem(("path",), "nul_character")] if "\x00" in request.path_info else []


def _strings(data: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in parsed JSON, keys included, with its location; iterative, so a deeply
    nested document cannot exhaust the stack."""
    stack = [(loc, data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, value in item.items():
                yield (*where, key), key
                stack.append(((*where, key), value))
        elif isinstance(item, list):
            stack.extend(((*where, i), value) for i, value in enumerate(item))


def json_problems(data: Any) -> list[Problem]:
    problems = []
    for loc, text in _strings(data, ("body",)):
        if "\x00" in text:
            problems.append(Problem(loc, "nul_character"))
        elif not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
                problems.append(Problem(loc, "invalid_utf8"))
    return problems


def parse_json_body(request: HttpRequest) -> tuple[Any, list[Problem]]:
    """The parsed body (``None`` when it is not JSON: the API answers that itself) and its
    problems. The API's parser reuses the parsed body instead of parsing it twice."""
    try:
        data = json.loads(request.body)
    except UnicodeDecodeError:
        return None, [Problem(("body",), "invalid_utf8")]
    except (ValueError, RecursionError):
        return None, []
    request._kefu_json = data  # type: ignore[attr-defined]
    return data, json_problems(data)


def _part_problem(part: bytes) -> Problem | None:
    """One part of a multipart body: its headers (field and file name) and, unless it is a
    file, its value."""
    head, _sep, value = part.partition(b"\r\n\r\n")
    found = _PART_NAME.search(head)
    name = found[1].decode("utf-8", "replace") if found else ""
    if _PART_IS_FILE.search(head):
        return _text_problem(("file", name), head)
    loc = ("form", name)
    return _text_problem(loc, head) or _text_problem(loc, value.removesuffix(b"\r\n"))


def multipart_raw_problems(body: bytes, boundary: str) -> list[Problem]:
    parts = body.split(b"--" + boundary.encode("latin-1"))[1:-1]
    return [problem for problem in map(_part_problem, parts) if problem is not None]


def multipart_problems(request: HttpRequest) -> list[Problem]:
    """Raw parts are judged while the body is small enough for Django to hold in memory; a
    larger one (files) is judged once Django has parsed it, when broken UTF-8 has become U+FFFD
    (which stores fine) but NUL is still there to find."""
    boundary = (request.content_params or {}).get("boundary", "")
    if boundary and declared_length(request) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return multipart_raw_problems(request.body, boundary)
    problems = [
        Problem(("form", name), "nul_character")
        for name, values in request.POST.lists()
        if any("\x00" in value for value in values)
    ]
    for name, files in request.FILES.lists():
        if any("\x00" in (upload.name or "") for upload in files):
            problems.append(Problem(("file", name), "nul_character"))
    return problems


def body_problems(request: HttpRequest, api: bool) -> list[Problem]:
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return encoded_pairs_problems(request.body, "form")
    if content_type == "multipart/form-data":
        return multipart_problems(request)
    # The API reads any other body as JSON whatever its declared type.
    if (api or content_type.endswith("json")) and request.body:
        return parse_json_body(request)[1]
    return []


def body_limit(request: HttpRequest) -> int:
    """The most a body may hold here: files for multipart forms, otherwise Django's limit."""
    if (request.content_type or "") == "multipart/form-data":
        return int(settings.KEFU_MAX_REQUEST_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def wants_json(request: HttpRequest, api: bool) -> bool:
    """API callers and scripts (fetch sends ``*/*``) get JSON; browsers' navigations get HTML."""
    return api or "text/html" not in request.headers.get("Accept", "")


def refuse(request: HttpRequest, problems: list[Problem], api: bool) -> HttpResponse:
    detail = localize_errors(p.as_error() for p in problems)
    if wants_json(request, api):
        return JsonResponse({"detail": detail, "code": "validation_error"}, status=422)
    context = {"errors": [d["msg"] for d in detail]}
    return render(request, "input_refused.html", context, status=422)


def too_large(request: HttpRequest, size: int, limit: int, api: bool) -> HttpResponse:
    megabytes = 1024 * 1024
    message = _("The request is %(size).1f MB; at most %(limit)d MB are accepted here.") % {
        "size": size / megabytes,
        "limit": limit // megabytes,
    }
    if wants_json(request, api):
        return JsonResponse({"detail": message, "code": "too_large"}, status=413)
    return render(request, "input_refused.html", {"errors": [message]}, status=413)


def declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class InputGuardMiddleware:
    """Checks each request once its view is known (so exempt views can be told apart)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        api = match is not None and match.namespace == "api"
        raw_body = match is not None and match.view_name in RAW_BODY_VIEWS
        size = declared_length(request)
        if not raw_body and size > body_limit(request):
            return too_large(request, size, body_limit(request), api)
        query = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
        problems = path_problems(request) + encoded_pairs_problems(query, "query")
        if not problems and not raw_body and size:
            problems = body_problems(request, api)
        return refuse(request, problems, api) if problems else None
