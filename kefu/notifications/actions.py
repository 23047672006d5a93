"""The only code that writes notifications and preferences.

``notify`` runs inside the caller's unit of work: the rows (and any mail) commit with the change
that caused them; after commit, the recipients' open pages are told their count changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from kefu.accounts.models import Agent, User
from kefu.delivery import live
from kefu.delivery.email import queue_email
from kefu.delivery.models import Delivery
from kefu.errors import Invalid
from kefu.notifications import texts
from kefu.notifications.models import Kind, Notification, Preference
from kefu.notifications.preferences import Channels, channels_for, default, kinds_for
from kefu.tickets.models import Ticket


def _user(recipient: User | Agent) -> User:
    return recipient.user if isinstance(recipient, Agent) else recipient


def notify(
    recipients: Iterable[User | Agent | None],
    kind: str,
    *,
    ticket: Ticket | None,
    params: dict[str, Any],
    email: bool = False,
    mail: bool = True,
) -> list[User]:
    """Tell each distinct recipient, as their preferences say; ``email`` asks for mail where
    they have not chosen otherwise. ``mail=False``: the caller mails them itself (a customer's
    lifecycle mail with its own template). Returns those told."""
    users = list({u.pk: u for u in (_user(r) for r in recipients if r is not None)}.values())
    if not users:
        return []
    channels = channels_for(users, kind, email_asked=email)
    told = [u for u in users if channels[u.pk].in_app or channels[u.pk].email]
    Notification.objects.bulk_create(
        Notification(recipient=u, ticket=ticket, kind=kind, params=params)
        for u in told
        if channels[u.pk].in_app
    )
    for user in told if mail else ():
        if channels[user.pk].email:
            _mail(user, kind, ticket, params)
    ids = [u.pk for u in told]
    transaction.on_commit(lambda: live.push_notifications(ids))
    return told


def wants_email(user: User, kind: str) -> bool:
    return channels_for([user], kind)[user.pk].email


def _mail(user: User, kind: str, ticket: Ticket | None, params: dict[str, Any]) -> None:
    if not user.email:
        return
    staff = getattr(user, "agent", None) is not None
    with translation.override(user.language):
        text = texts.render(kind, params)
        if ticket is not None:
            text += "\n\n" + texts.ticket_link(ticket.number, staff=staff)
        queue_email(
            to=[user.email],
            subject=texts.email_subject(kind, params),
            text=text,
            kind=Delivery.Kind.NOTIFICATION,
            ticket=ticket,
        )


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    if marked:
        transaction.on_commit(lambda: live.push_notifications([user.pk]))
    return marked


def set_preferences(*, user: User, choices: Mapping[str, Channels]) -> None:
    """Save ``user``'s channels per kind (only kinds that concern them). A choice equal to the
    default is kept as no row: the default still lets an escalation path ask for mail."""
    allowed = set(kinds_for(user))
    unknown = sorted(set(choices) - allowed)
    if unknown:
        raise Invalid(texts.unknown_kind_error(unknown[0]), field=f"preferences.{unknown[0]}")
    with transaction.atomic():
        for kind, chosen in choices.items():
            if chosen == default(kind):
                Preference.objects.filter(user=user, kind=kind).delete()
                continue
            Preference.objects.update_or_create(
                user=user,
                kind=Kind(kind),
                defaults={
                    "in_app": chosen.in_app,
                    "email": chosen.email,
                    "browser": chosen.browser,
                },
            )
