"""Archived tickets, read-only: the search ("include archived") and a ticket's page; and the
admin's data-subject tools (export, erase)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.models import User
from kefu.archive import queries, subjects
from kefu.tickets.models import Message
from kefu.tickets.views.common import agent_required, paginate


@agent_required
def archive_search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:200]
    page = paginate(request, queries.search(request.viewer, text))  # type: ignore[attr-defined]
    return render(request, "archive/search.html", {"page": page, "q": text, "tab": "archive"})


def archived_ticket(request: HttpRequest, number: str) -> HttpResponse:
    from kefu.accounts.access import request_viewer

    if not request.user.is_authenticated:
        raise Http404
    found = queries.find(request_viewer(request), number)
    if found is None:
        raise Http404
    staff = request_viewer(request).is_agent
    messages_ = [_readable(m) for m in found.snapshot.get("messages", [])
                 if staff or not m.get("is_internal")]  # fmt: skip
    return render(request, "archive/ticket.html", {
        "ticket": found, "messages_": messages_, "staff": staff,
        "attachments": found.snapshot.get("attachments", []),
    })  # fmt: skip


def _readable(message: dict[str, Any]) -> dict[str, Any]:
    """A kept message as the page shows it: its time a datetime (shown in the reader's zone),
    its author's role in the reader's language."""
    roles = dict(Message.AuthorRole.choices)
    try:
        at: Any = datetime.fromisoformat(str(message.get("created_at", "")))
    except ValueError:
        at = None
    role = str(message.get("author_role", ""))
    return {**message, "created_at": at, "author_role": roles.get(role, role)}


def _person(request: HttpRequest) -> User:
    viewer = request.viewer  # type: ignore[attr-defined]
    if not viewer.is_admin:
        raise Http404
    raw = request.POST.get("user") or request.GET.get("user") or ""
    user = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if user is None:
        raise Http404
    return user


@agent_required
def person_page(request: HttpRequest) -> HttpResponse:
    if not request.viewer.is_admin:  # type: ignore[attr-defined]
        raise Http404
    email = request.GET.get("email", "").strip()
    person = User.objects.filter(email__iexact=email).first() if email else None
    return render(request, "archive/person.html", {"email": email, "person": person})


@require_POST
@agent_required
def person_export(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    data = subjects.export_person(user=user, actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="kefu-person-{user.pk}.zip"'
    return response


@require_POST
@agent_required
def person_erase(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    if request.POST.get("confirm") != "ERASE":
        messages.error(request, _("Type ERASE to confirm."))
        return redirect("person_page")
    erasure = subjects.erase_person(user=user, actor=request.user)
    messages.success(request, _("Erased; the person is now %(who)s.") % {"who": erasure.tombstone})
    return redirect("person_page")
