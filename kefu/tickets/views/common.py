"""What the portal and the workspace views share: who is asking, how errors show, and how a
ticket form's fields open a ticket."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from kefu.accounts.access import Viewer, viewer_for
from kefu.accounts.models import Organization, User
from kefu.errors import KefuError, NotFound
from kefu.intake import interactive
from kefu.intake.interactive import NewContact
from kefu.tickets.forms import PortalTicketForm
from kefu.tickets.models import Ticket

View = Callable[..., HttpResponse]


def _role_required(check: Callable[[Viewer], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            viewer = viewer_for(request.user)
            if not check(viewer):
                raise Http404
            request.viewer = viewer  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                archived = _archived_page(request, viewer, kwargs.get("number"))
                if archived is not None:
                    return archived
                raise Http404 from exc

        return wrapped

    return decorator


def _archived_page(request: HttpRequest, viewer: Viewer, number: Any) -> HttpResponse | None:
    """A direct link to a ticket that was archived leads to its read-only archived page."""
    from kefu.archive.queries import find

    if request.method != "GET" or not number or find(viewer, str(number)) is None:
        return None
    return redirect("archived_ticket", number=number)


customer_required = _role_required(lambda viewer: viewer.is_customer)
agent_required = _role_required(lambda viewer: viewer.is_agent)


def flash_error(request: HttpRequest, error: KefuError) -> None:
    messages.error(request, str(error.message))


def open_from_form(
    form: PortalTicketForm,
    *,
    channel: str,
    viewer: Viewer,
    requester: User | NewContact,
    organization: Organization | None,
) -> Ticket | None:
    """The ticket a valid form opens through the intake pipeline, or None with the pipeline's
    refusal put on the form (on the field it names)."""
    data = form.cleaned_data
    try:
        result = interactive.open_ticket(
            channel=channel,
            viewer=viewer,
            requester=requester,
            organization=organization,
            subject=data["subject"],
            body=data["body"],
            fields=form.ticket_fields(),
            attachments=data["attachments"],
        )
    except KefuError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        return None
    assert result.ticket is not None  # a new message from a form opens or continues a ticket
    return result.ticket


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int = 25) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
