"""Intake over HTTP: the inbound-email webhook for mail providers, and retrying outbound mail.

``POST /api/v1/inbound/email?mailbox=service`` takes one raw RFC 5322 message as the request
body (any content type) and answers what became of it. Only integration tokens and admins'
tokens may deliver mail: anyone else could otherwise write in any customer's name.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from ninja import Path, Router, Schema
from ninja.security import HttpBearer

from kefu.accounts.access import request_viewer, viewer_for
from kefu.accounts.actions import touch_api_token
from kefu.accounts.models import ApiToken
from kefu.accounts.queries import live_token
from kefu.api import BearerAuth, SessionAuth
from kefu.errors import Forbidden, Invalid, InvalidTransition, KefuError
from kefu.intake.email import outbox
from kefu.intake.email.inbound import MAX_EMAIL_BYTES, deliver
from kefu.intake.models import OutboundEmail
from kefu.schemas import errors
from kefu.validation import Id

router = Router(tags=["intake"])

MailboxCode = Literal["service", "merchant", "complaint"]


class TooLarge(KefuError):
    status = 413
    code = "too_large"


class WebhookAuth(HttpBearer):
    """An integration token, or the user token of an admin; other valid tokens get 403."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        purposes = (ApiToken.Purpose.USER, ApiToken.Purpose.INTEGRATION)
        api_token = live_token(token, purposes=purposes)
        if api_token is None:
            return None
        is_integration = api_token.purpose == ApiToken.Purpose.INTEGRATION
        if not is_integration and not viewer_for(api_token.user).is_admin:
            raise Forbidden(_("Only integration tokens and administrators may deliver mail."))
        touch_api_token(token=api_token)
        request.user = api_token.user
        return api_token.user


class DeliveryOut(Schema):
    outcome: str
    ticket: str | None
    reason: str


def _read_body(request: HttpRequest) -> bytes:
    """The raw message, read past Django's form-size limit but never beyond ours."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > MAX_EMAIL_BYTES:
        raise _too_large()
    raw = request.read(MAX_EMAIL_BYTES + 1)
    if len(raw) > MAX_EMAIL_BYTES:
        raise _too_large()
    if not raw.strip():
        raise Invalid(_("The request body must be one email message (RFC 5322)."), field="body")
    return raw


def _too_large() -> TooLarge:
    limit = MAX_EMAIL_BYTES // (1024 * 1024)
    return TooLarge(_("The message is larger than %(mb)s MB.") % {"mb": limit}, field="body")


@router.post("/inbound/email", auth=WebhookAuth(), response={200: DeliveryOut, **errors(403, 413)})
def inbound_email(request: HttpRequest, mailbox: MailboxCode) -> dict[str, Any]:
    """Deliver one raw email (the request body) to the support mailbox ``mailbox``."""
    result = deliver(_read_body(request), mailbox)
    return {
        "outcome": result.outcome,
        "ticket": result.ticket.number if result.ticket else None,
        "reason": result.reason,
    }


class RetryOut(Schema):
    id: int
    state: str


@router.post(
    "/outbound-email/{email_id}/retry",
    auth=[BearerAuth(), SessionAuth()],
    response={200: RetryOut, **errors(403, 409)},
    url_name="retry_outbound_email",
)
def retry_outbound_email(request: HttpRequest, email_id: Path[Id]) -> Any:
    """Send a failed or abandoned mail again (admins). htmx callers get the updated row."""
    if not request_viewer(request).is_admin:
        raise Forbidden(_("Only administrators may retry mail."))
    email = get_object_or_404(OutboundEmail, pk=email_id)
    if not outbox.retry(email):
        raise InvalidTransition(_("Only mail that failed can be sent again."))
    email.refresh_from_db()
    if request.headers.get("HX-Request"):
        html = render_to_string(
            "intake/_outbound_row.html", {"mail": email, "user": request.user}, request
        )
        return HttpResponse(html)
    return {"id": email.pk, "state": email.state}
