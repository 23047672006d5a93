"""Signed links in the mail we send: one action on one ticket, for the person we mailed, without
signing in.

A link carries the ticket, the action and the recipient, signed with the site's secret and
expiring (``LINK_DAYS``). It is good for its moment only: a resolution link names the instant the
ticket was resolved, so once the ticket is confirmed, reopened or resolved again, the old link no
longer acts. A rating link still works after the ticket closed (the customer may confirm first
and rate afterwards), for that same resolution; it is spent once a rating is given
(``kefu.ratings``). Opening a link shows what it will do; the action happens on the button (a
POST), so mail scanners that fetch every link act on nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer, viewer_for
from kefu.errors import InvalidTransition, KefuError
from kefu.tickets.models import Status, Ticket

SALT = "kefu.tickets.links"
LINK_DAYS = 14


class Action(StrEnum):
    CONFIRM = "confirm"  # the resolution solved it: close
    REOPEN = "reopen"  # it did not: reopen
    RATE = "rate"  # how did it go: 满意 / 一般 / 不满意


class LinkInvalid(KefuError):
    status = 404
    code = "link_invalid"


@dataclass(frozen=True)
class Link:
    ticket: Ticket
    action: Action
    viewer: Viewer


def _moment(ticket: Ticket) -> str:
    """The resolution instant, in UTC: the same string whether read back or just written."""
    return ticket.resolved_at.astimezone(UTC).isoformat() if ticket.resolved_at else ""


def make_url(ticket: Ticket, action: Action) -> str:
    """An absolute link for the ticket's requester."""
    token = signing.dumps(
        {"t": ticket.pk, "a": str(action), "u": ticket.requester_id, "m": _moment(ticket)},
        salt=SALT,
        compress=True,
    )
    return f"{settings.SITE_URL.rstrip('/')}{reverse('ticket_link', args=[token])}"


def open_link(token: str) -> Link:
    """The link's ticket, action and person; LinkInvalid when forged, expired or spent."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
        ticket = Ticket.objects.select_related("requester").get(pk=data["t"])
        action = Action(data["a"])
    except (signing.BadSignature, Ticket.DoesNotExist, KeyError, ValueError, TypeError):
        raise LinkInvalid(_("This link is not valid or has expired.")) from None
    if ticket.requester_id != data.get("u") or _moment(ticket) != data.get("m"):
        raise LinkInvalid(_("This link was for an earlier state of the ticket."))
    if action == Action.RATE and ticket.status in (Status.RESOLVED, Status.CLOSED):
        return Link(ticket=ticket, action=action, viewer=viewer_for(ticket.requester))
    if ticket.status != Status.RESOLVED:
        raise InvalidTransition(
            _("Ticket %(number)s is no longer waiting for your confirmation.")
            % {"number": ticket.number}
        )
    return Link(ticket=ticket, action=action, viewer=viewer_for(ticket.requester))
