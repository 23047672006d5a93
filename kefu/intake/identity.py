"""Who sent an inbound message: an account of an organisation, or an unverified contact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from kefu.accounts.access import Viewer, viewer_for
from kefu.accounts.actions import create_contact
from kefu.accounts.models import Organization, User
from kefu.intake.base import InboundMessage, IntakeRefused
from kefu.lib.process_cache import ProcessCache

EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+")


@dataclass(frozen=True)
class Identity:
    user: User
    organization: Organization | None
    # True for signed-in users and known accounts; a stranger's mail is "unverified".
    verified: bool
    # A sender first seen with this message: nothing earlier of theirs to thread or repeat.
    first_contact: bool = False

    @property
    def viewer(self) -> Viewer:
        return viewer_for(self.user)


def _organizations_with_domains() -> list[Organization]:
    return list(Organization.objects.filter(~Q(email_domains=[])).order_by("pk"))


# Read for every unknown sender, edited rarely.
_with_domains = ProcessCache(_organizations_with_domains, forget_on=[Organization])


def _organization_by_domain(address: str) -> Organization | None:
    domain = address.rpartition("@")[2].lower()
    if not domain:
        return None
    # JSON containment differs per database; the list is short, so filter in Python.
    candidates = _with_domains.get()
    return next((o for o in candidates if domain in {d.lower() for d in o.email_domains}), None)


def resolve_identity(message: InboundMessage) -> Identity | None:
    """Who sent ``message``. An unknown sender becomes a contact, unless the message is machine
    mail (a bounce, an auto-reply): then there is no one to know, and None."""
    if message.user is not None:
        account = getattr(message.user, "account", None)
        organization = message.organization or (account.organization if account else None)
        return Identity(message.user, organization, verified=True)
    address = message.sender_address.strip().lower()
    if not EMAIL.fullmatch(address):
        raise IntakeRefused(f"no usable sender address ({message.sender_address!r})")
    user = (
        User.objects.select_related("account__organization", "agent")
        .filter(email__iexact=address)
        .first()
    )
    if user is not None and getattr(user, "account", None) is not None:
        return Identity(user, user.account.organization, verified=True)
    if user is None and message.auto_kind:
        return None
    organization = _organization_by_domain(address)
    if user is not None:
        return Identity(user, organization, verified=False)
    contact = _new_contact(address, message.sender_name)
    if contact is None:  # a concurrent delivery from them has just made it
        return Identity(User.objects.get(email__iexact=address), organization, verified=False)
    return Identity(contact, organization, verified=False, first_contact=True)


def _new_contact(address: str, name: str) -> User | None:
    """A contact for a new sender; None if one was made meanwhile."""
    try:
        with transaction.atomic():
            contact = create_contact(email=address, name=name)
    except IntegrityError:
        return None
    # A new contact has neither profile: say so, or the viewer would load the user again.
    contact._state.fields_cache.update(agent=None, account=None)
    return contact
