"""Who sent an inbound message: an account of an organisation, or an unverified contact, and
whether that is proven.

One rule, decided here once and consulted by every later stage (threading, the duplicate
joiner, chat, the ticket's organisation): a sender is *proven* by a signed-in session or API
token (``message.user``), by staff acting for them, or by a proof from their channel
(``message.sender_proof``: authenticated mail, a verified channel identity). An address that was
only claimed (typed into the chat's pre-chat form or the leave-a-message form, or written in a
``From:`` that failed or lacked authentication) proves nothing: the message opens a new ticket,
unverified, outside the claimed customer's organisation and portal, flagged to the agents with
the reason, and joins or reveals no existing ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Upper

from kefu.accounts.access import Viewer, viewer_for
from kefu.accounts.actions import create_contact
from kefu.accounts.models import Organization, User
from kefu.intake.base import InboundMessage, IntakeRefused
from kefu.lib.process_cache import ProcessCache
from kefu.tickets.models import Channel, Ticket

EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+")


# Where an unproven sender's ticket says so (its triage details), for agents and later stages.
DOUBT_KEY = "identity"


@dataclass(frozen=True)
class Identity:
    user: User
    organization: Organization | None
    # True for proven senders with a customer account; strangers are "unverified".
    verified: bool
    # A sender first seen with this message: nothing earlier of theirs to thread or repeat.
    first_contact: bool = False
    # The sender is who the message says (see the module's rule); False: only claimed.
    proven: bool = True
    # Why not proven ("claimed": typed into a form; "mail": unauthenticated mail) and details.
    doubt: str = ""
    doubt_note: str = ""

    @property
    def viewer(self) -> Viewer:
        return viewer_for(self.user)

    @property
    def details(self) -> dict[str, Any]:
        """What an unproven sender's ticket keeps in its triage details; nothing when proven."""
        if self.proven:
            return {}
        doubt = {"proven": False, "reason": self.doubt, "note": self.doubt_note[:500],
                 "claimed": self.user.email}  # fmt: skip
        return {DOUBT_KEY: doubt}


def opened_by_proven_sender(ticket: Ticket) -> bool:
    """Whether a ticket may take messages of proven senders: one opened by a claim may not, or
    whoever made the claim would read them (a chat session shows its ticket)."""
    return bool((ticket.triage or {}).get(DOUBT_KEY, {}).get("proven", True))


def _is_proven(message: InboundMessage) -> bool:
    return message.user is not None or message.acting is not None or bool(message.sender_proof)


def _unproven(user: User, message: InboundMessage, first_contact: bool = False) -> Identity:
    """A claimed address: no organisation (not even by mail domain), never verified."""
    doubt = "mail" if message.channel == Channel.EMAIL else "claimed"
    return Identity(user, None, verified=False, first_contact=first_contact, proven=False,
                    doubt=doubt, doubt_note=message.proof_note)  # fmt: skip


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


def _users_with_email(address: str) -> QuerySet[User]:
    """The user of ``address``, ignoring case, through the ``Upper("email")`` index (it is also
    the unique constraint). ``email__iexact`` gives the same rows, but SQLite compiles it to
    ``LIKE``, which no index serves: every inbound message read the whole user table."""
    return User.objects.alias(email_ci=Upper("email")).filter(email_ci=Upper(Value(address)))


def resolve_identity(message: InboundMessage) -> Identity | None:
    """Who sent ``message``. An unknown sender becomes a contact, unless the message is machine
    mail (a bounce, an auto-reply): then there is no one to know, and None."""
    if message.user is not None:
        account = getattr(message.user, "account", None)
        organization = message.organization or (account.organization if account else None)
        # A contact that staff file for has no account to prove: the ticket stays unverified.
        contact = account is None and message.acting is not None
        return Identity(message.user, organization, verified=not contact)
    address = message.sender_address.strip().lower()
    if not EMAIL.fullmatch(address):
        raise IntakeRefused(f"no usable sender address ({message.sender_address!r})")
    users = _users_with_email(address).select_related("account__organization", "agent")
    # At most one (unique); unordered, or PostgreSQL may walk the primary key for it.
    user = next(iter(users[:1]), None)
    if user is None and message.auto_kind:
        return None
    if user is None:
        user = _new_contact(address, message.sender_name, message.sender_phone)
        first = user is not None
        # None: a concurrent delivery from them has just made it.
        user = user or _users_with_email(address).get()
        return _known(user, message, first_contact=first)
    return _known(user, message)


def _known(user: User, message: InboundMessage, first_contact: bool = False) -> Identity:
    if not _is_proven(message):
        return _unproven(user, message, first_contact)
    if getattr(user, "account", None) is not None:
        return Identity(user, user.account.organization, verified=True)
    # Staff filing for a contact may say whose organisation they are with.
    chosen = message.organization if message.acting is not None else None
    organization = chosen or _organization_by_domain(user.email)
    return Identity(user, organization, verified=False, first_contact=first_contact)


def _new_contact(address: str, name: str, phone: str) -> User | None:
    """A contact for a new sender; None if one was made meanwhile."""
    try:
        with transaction.atomic():
            contact = create_contact(email=address, name=name, phone=phone)
    except IntegrityError:
        return None
    # A new contact has neither profile: say so, or the viewer would load the user again.
    contact._state.fields_cache.update(agent=None, account=None)
    return contact
