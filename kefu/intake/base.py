"""What every channel hands to the intake pipeline: one ``InboundMessage``.

A channel adapter only translates its medium (an email, a chat line, a form post, a WeChat push)
into this shape; ``channels.ingest`` does everything else.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kefu.accounts.access import Viewer
from kefu.accounts.models import Organization, User


class IntakeRefused(Exception):
    """A message the pipeline will not take as it is; it goes to quarantine with this reason."""


@dataclass
class InboundAttachment:
    filename: str
    data: bytes
    inline: bool = False


@dataclass
class TicketFields:
    """What a structured form or API call says about the ticket (all optional)."""

    category: str = ""
    priority: str = ""
    order_id: str = ""
    order_value: Decimal | None = None
    shipment_code: str = ""
    error_code: str = ""
    desired_outcome: str = ""
    expected_by: date | None = None
    tags: list[str] = field(default_factory=list)
    language: str = ""
    # A customer asks for urgent handling; only support sets ``priority``.
    urgent: bool = False


@dataclass
class InboundMessage:
    channel: str
    # Unique per channel: the email Message-ID, a chat message id, an API idempotency key…
    external_id: str
    text: str
    subject: str = ""
    html: str = ""
    # The message as received when ``text`` is only its new part (quoted history stripped).
    full_text: str = ""
    sender_address: str = ""
    sender_name: str = ""
    # A number staff took down for a new contact (kept on the contact they make).
    sender_phone: str = ""
    # Already authenticated (portal, API, signed-in chat): no need to resolve the sender.
    user: User | None = None
    # How the channel proved that ``sender_address`` is the sender's ("mail:dmarc" for mail that
    # passed SPF/DKIM aligned with its From…); empty when the address is only claimed, which
    # proves nothing (``identity.Identity.proven``).
    sender_proof: str = ""
    # What the channel found when it could not prove it (mail authentication results).
    proof_note: str = ""
    # Staff filing on a customer's behalf (a phone call, the API); None when the sender acts.
    acting: Viewer | None = None
    organization: Organization | None = None
    received_at: datetime = field(default_factory=timezone.now)
    # An explicit ticket (reply form, chat session, API path) …
    ticket_number: str = ""
    # … or the ticket this very conversation opened (a chat session, held by its secret token),
    # which it continues whoever it claims to be …
    own_ticket: str = ""
    # … or email threading: In-Reply-To and References, bare ids.
    references: list[str] = field(default_factory=list)
    mailbox: str = ""
    # Machine mail (auto_reply, bounce, delayed, mdn, feedback): recorded, never answered.
    auto_kind: str = ""
    auto_reason: str = ""
    # Human mail that must not be acknowledged (e.g. relayed by a mailing list).
    suppress_ack: bool = False
    # Mail that Kefu itself sent and that came back.
    from_us: bool = False
    # ``external_id`` was made here for this message (an API call or a form without an
    # idempotency key): no other delivery can hold it, so its record is written once, done.
    id_made_here: bool = False
    attachments: list[InboundAttachment] = field(default_factory=list)
    fields: TicketFields = field(default_factory=TicketFields)
    # The payload as received, for audit and re-processing (an .eml, or this message as JSON).
    raw: bytes = b""
    raw_suffix: str = ".json"

    def fingerprint(self) -> str:
        """What makes this message this message, whatever id its channel gave it.

        Forwarded parts and files count: mailers that reuse a Message-ID for a different
        message with the same text would otherwise have it dropped as a redelivery.
        """
        files = (hashlib.sha256(item.data).hexdigest() for item in self.attachments)
        basis = "\x1f".join((self.channel, self.sender_address.lower(), self.subject, self.text,
                              self.full_text, *files))  # fmt: skip
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def interactive(self) -> bool:
        """A person waits for the answer (portal, API, chat): their errors go back to them."""
        return self.user is not None or self.acting is not None


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode()}
    if isinstance(value, date | datetime | Decimal):
        return str(value)
    raise TypeError(type(value))


def to_json(message: InboundMessage) -> bytes:
    """A self-contained copy (attachments included) to quarantine a form or API message."""
    data = asdict(message)
    data.pop("raw")
    data["user"] = message.user.pk if message.user else None
    data["acting"] = message.acting.user.pk if message.acting and message.acting.user else None
    data["organization"] = message.organization.pk if message.organization else None
    return json.dumps(data, default=_json_default, ensure_ascii=False).encode()


def from_json(raw: bytes) -> InboundMessage:
    from kefu.accounts.access import viewer_for

    data = json.loads(raw)
    fields = data.pop("fields")
    if fields.get("order_value"):
        fields["order_value"] = Decimal(fields["order_value"])
    if fields.get("expected_by"):
        fields["expected_by"] = date.fromisoformat(fields["expected_by"])
    attachments = [
        InboundAttachment(a["filename"], base64.b64decode(a["data"]["b64"]), a["inline"])
        for a in data.pop("attachments")
    ]
    user_id, acting_id, org_id = data.pop("user"), data.pop("acting"), data.pop("organization")
    return InboundMessage(
        **{**data, "received_at": datetime.fromisoformat(data["received_at"])},
        user=User.objects.filter(pk=user_id).first() if user_id else None,
        acting=viewer_for(User.objects.get(pk=acting_id)) if acting_id else None,
        organization=Organization.objects.filter(pk=org_id).first() if org_id else None,
        attachments=attachments,
        fields=TicketFields(**fields),
        raw=raw,
    )
