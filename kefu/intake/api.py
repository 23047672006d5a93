"""Intake over HTTP: the inbound-email webhook for mail providers.

``POST /api/v1/inbound/email?mailbox=service`` takes one raw RFC 5322 message as the request
body (any content type) and answers what became of it. Only integration tokens and admins'
tokens may deliver mail: anyone else could otherwise write in any customer's name.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.security import HttpBearer

from kefu.accounts.access import viewer_for
from kefu.accounts.actions import touch_api_token
from kefu.accounts.models import ApiToken
from kefu.accounts.queries import live_token
from kefu.errors import Forbidden, Invalid, KefuError
from kefu.intake.email import authn
from kefu.intake.email.inbound import MAX_EMAIL_BYTES, deliver
from kefu.schemas import errors

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
    # The provider is the relay, signed in by its token: its Authentication-Results are believed.
    result = deliver(_read_body(request), mailbox, hop=authn.Hop(relay_trusted=True))
    return {
        "outcome": result.outcome,
        "ticket": result.ticket.number if result.ticket else None,
        "reason": result.reason,
    }
