"""The contact form for people without an account: submit, verify by mail, then a ticket.

Anti-abuse without outside services: a honeypot field (a filled one is answered as a success and
nothing is kept), rate limits per client address and per email (``contact_form.*``), and email
verification: the submission waits in ``ContactRequest`` until the signed link mailed to the
address is followed, and only then goes through ``kefu.intake.ingest`` as a web ticket. Replies
to web tickets are mailed, threaded, so the conversation continues by email.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kefu import ratelimit
from kefu.delivery.email import queue_email
from kefu.delivery.models import Delivery
from kefu.errors import Invalid, KefuError
from kefu.intake import rawstore
from kefu.intake.base import InboundAttachment, InboundMessage, TicketFields, from_json, to_json
from kefu.intake.ingest import ingest
from kefu.tickets.models import Category, Channel, Ticket
from kefu.visitors.models import ContactRequest

SALT = "kefu.visitors.contact"
PENDING_DAYS = 7
MAX_TEXT = 5000
MAX_FILES = 5


class ContactLinkInvalid(KefuError):
    status = 404
    code = "link_invalid"


@dataclass
class Submission:
    name: str
    email: str
    description: str
    company: str = ""
    phone: str = ""
    category: str = ""
    order_id: str = ""
    files: list[InboundAttachment] = field(default_factory=list)


def _check(submission: Submission) -> None:
    try:
        validate_email(submission.email)
    except ValidationError:
        raise Invalid(gettext_lazy("Enter a valid email address."), field="email") from None
    if not submission.name.strip():
        raise Invalid(gettext_lazy("Please tell us your name."), field="name")
    if not submission.description.strip():
        raise Invalid(gettext_lazy("Please describe your question."), field="description")
    if (
        submission.category
        and not Category.objects.filter(code=submission.category, is_active=True).exists()
    ):
        raise Invalid(gettext_lazy("Choose a category from the list."), field="category")
    if len(submission.files) > MAX_FILES:
        raise Invalid(
            gettext_lazy("Attach at most %(count)s files.") % {"count": MAX_FILES}, field="files"
        )


def _text(submission: Submission) -> str:
    lines = [submission.description.strip()[:MAX_TEXT], ""]
    if submission.company.strip():
        lines.append(f"{_('Company')}: {submission.company.strip()[:200]}")
    if submission.phone.strip():
        lines.append(f"{_('Phone')}: {submission.phone.strip()[:40]}")
    return "\n".join(lines).strip()


def _message(submission: Submission, received_at: datetime) -> InboundMessage:
    return InboundMessage(
        channel=Channel.WEB,
        external_id=f"contact:{secrets.token_hex(16)}",
        text=_text(submission),
        subject=submission.description.strip().splitlines()[0][:120],
        sender_address=submission.email.strip().lower(),
        sender_name=submission.name.strip()[:150],
        received_at=received_at,
        attachments=submission.files,
        fields=TicketFields(
            category=submission.category,
            order_id=submission.order_id.strip()[:64],
            language="zh" if (get_language() or "").startswith("zh") else "en",
        ),
    )


def submit(
    submission: Submission, *, address: str, honeypot: str = "", surface: str = "contact_form"
) -> None:
    """Keep the submission and mail the verification link. RateLimited past the limits of
    ``surface`` (the chat's leave-a-message keeps its own), Invalid naming the field for bad
    input. A filled honeypot keeps nothing, silently."""
    ratelimit.guard(surface, address=address, email=submission.email.strip().lower())
    if honeypot.strip():
        return
    _check(submission)
    now = timezone.now()
    raw = to_json(_message(submission, now))
    with transaction.atomic():
        request = ContactRequest.objects.create(
            email=submission.email.strip().lower(),
            raw_path=rawstore.keep(raw, ".json"),
            created_at=now,
            expires_at=now + timedelta(days=PENDING_DAYS),
        )
        context = {"url": make_url(request), "days": PENDING_DAYS, "name": submission.name}
        queue_email(
            to=[request.email],
            subject=_("Please confirm your email address to send your message"),
            text=render_to_string("email/contact_verify.txt", context),
            html=render_to_string("email/contact_verify.html", context),
            kind=Delivery.Kind.NOTIFICATION,
        )


def make_url(request: ContactRequest) -> str:
    token = signing.dumps({"c": request.pk, "e": request.email}, salt=SALT, compress=True)
    return f"{settings.SITE_URL.rstrip('/')}{reverse('contact_verify', args=[token])}"


def open_link(token: str) -> ContactRequest:
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=PENDING_DAYS))
        request = ContactRequest.objects.select_related("ticket").get(pk=int(data["c"]))
    except (signing.BadSignature, ContactRequest.DoesNotExist, KeyError, ValueError, TypeError):
        raise ContactLinkInvalid(gettext_lazy("This link is not valid or has expired.")) from None
    if request.email != data.get("e") or request.state == ContactRequest.State.EXPIRED:
        raise ContactLinkInvalid(gettext_lazy("This link is not valid or has expired."))
    return request


def verify(request: ContactRequest) -> Ticket:
    """The address is proven: the kept message becomes a ticket (once; a second click shows the
    same ticket)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = ContactRequest.objects.filter(
            pk=request.pk, state=ContactRequest.State.PENDING, expires_at__gt=now
        ).update(state=ContactRequest.State.VERIFIED, verified_at=now)
        if not claimed:
            request.refresh_from_db()
            if request.ticket is not None:
                return request.ticket
            raise ContactLinkInvalid(gettext_lazy("This link is not valid or has expired."))
        message = from_json(rawstore.read(request.raw_path))
        # Following a link mailed to the address proves the mailbox, as authenticated mail proves
        # its sender: the ticket is the address owner's, and their mail replies may thread into
        # it (``thread_match`` joins only tickets opened by proven senders).
        message.sender_proof = "mail:link"
        result = ingest(message)
        if result.ticket is None:
            raise Invalid(gettext_lazy("Your message could not be delivered."), field="description")
        ContactRequest.objects.filter(pk=request.pk).update(ticket=result.ticket)
        return result.ticket


def expire_due(now: datetime) -> int:
    """Sweeper: pending submissions past their 7 days are expired and their copy dropped."""
    handled = 0
    due = ContactRequest.objects.filter(state=ContactRequest.State.PENDING, expires_at__lte=now)
    for pk, raw_path in due.values_list("pk", "raw_path")[:200]:
        if ContactRequest.objects.filter(pk=pk, state=ContactRequest.State.PENDING).update(
            state=ContactRequest.State.EXPIRED, raw_path=""
        ):
            handled += 1
            if raw_path and not ContactRequest.objects.filter(raw_path=raw_path).exists():
                rawstore.storage().delete(raw_path)
    return handled


def next_due() -> datetime | None:
    return (
        ContactRequest.objects.filter(state=ContactRequest.State.PENDING)
        .order_by("expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
