"""Status lookup by ticket number: a number and an email in, the same sentence out; when they
belong together, a signed link to a read-only view of the ticket goes to that address.

The answer never depends on the match (the page, the API and the time spent are the same), so the
lookup reveals nothing about a ticket or an address to whoever typed them; only the mailbox owner
sees the status. Lookups are rate limited per client address and per email (``status_lookup.*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu import ratelimit
from kefu.delivery.email import django_language, mailable, queue_email
from kefu.delivery.models import Delivery
from kefu.errors import KefuError
from kefu.tickets.models import Message, Ticket

SALT = "kefu.visitors.status"
LINK_DAYS = 7
MAX_NUMBER = 24
MAX_EMAIL = 254

NEUTRAL_ANSWER = gettext_lazy(
    "If this ticket number belongs to this email address, we have sent a link to its status "
    "to that address. Please check your mailbox."
)


class StatusLinkInvalid(KefuError):
    status = 404
    code = "link_invalid"


@dataclass(frozen=True)
class StatusView:
    ticket: Ticket
    messages: list[Message]


def _matching(number: str, email: str) -> Ticket | None:
    number = number.strip().upper()[:MAX_NUMBER]
    email = email.strip().lower()[:MAX_EMAIL]
    if not number or not mailable(email):
        return None
    ticket = Ticket.objects.select_related("requester").filter(number=number).first()
    if ticket is None or ticket.merged_into_id is not None:
        return None
    if not constant_time_compare(ticket.requester.email.strip().lower(), email):
        return None
    return ticket


def request_link(*, number: str, email: str, address: str) -> None:
    """Mail the status link when ``number`` and ``email`` match; otherwise do nothing. The
    caller answers ``NEUTRAL_ANSWER`` either way. RateLimited past the limits."""
    ratelimit.guard("status_lookup", address=address, email=email.strip().lower())
    ticket = _matching(number, email)
    if ticket is None:
        return
    with translation.override(django_language(ticket.language)):
        context = {"ticket": ticket, "url": make_url(ticket), "days": LINK_DAYS}
        queue_email(
            to=[ticket.requester.email],
            subject=_("[%(number)s] The status of your ticket") % {"number": ticket.number},
            text=render_to_string("email/status_link.txt", context),
            html=render_to_string("email/status_link.html", context),
            kind=Delivery.Kind.NOTIFICATION,
            ticket=ticket,
        )


def make_url(ticket: Ticket) -> str:
    token = signing.dumps(
        {"t": ticket.pk, "e": ticket.requester.email.strip().lower()}, salt=SALT, compress=True
    )
    return f"{settings.SITE_URL.rstrip('/')}{reverse('status_view', args=[token])}"


def open_link(token: str) -> StatusView:
    """The ticket and its public messages; StatusLinkInvalid when forged, expired, or the ticket's
    requester has changed address since."""
    invalid = StatusLinkInvalid(gettext_lazy("This link is not valid or has expired."))
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
        ticket = Ticket.objects.select_related("requester", "category").get(pk=int(data["t"]))
    except (signing.BadSignature, Ticket.DoesNotExist, KeyError, ValueError, TypeError):
        raise invalid from None
    if ticket.requester.email.strip().lower() != str(data.get("e", "")):
        raise invalid
    messages = list(ticket.messages.filter(is_internal=False).order_by("created_at", "pk"))
    return StatusView(ticket=ticket, messages=messages)
