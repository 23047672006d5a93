"""Binding a WeChat follower to a customer account with a one-time code from the portal.

The customer, signed in to the portal, asks for a code (shown once, valid 15 minutes, stored only
as its sha256) and sends ``绑定 CODE`` (or ``bind CODE``) to the Official Account. The follower then
speaks as that account's user: proven by WeChat's signature on the push and by the code, so its
messages land on the account's tickets. Its contact ticket, if any, stays as it was; the next
message starts the conversation afresh as the account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kefu.accounts.models import User
from kefu.intake.wechat.models import WechatBindingCode, WechatFollower

CODE_LIFETIME = timedelta(minutes=15)
# No 0/O, 1/I/L: the code is read off a screen and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
COMMAND = re.compile(rf"^\s*(?:绑定|綁定|bind)[\s:：]*([A-Za-z0-9]{{{CODE_LENGTH}}})\s*$", re.I)


def _digest(code: str) -> str:
    return hashlib.sha256(code.upper().encode()).hexdigest()


def issue_code(*, user: User) -> tuple[str, WechatBindingCode]:
    """A new code for ``user`` (a customer account); earlier unused codes stop working."""
    now = timezone.now()
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        WechatBindingCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        row = WechatBindingCode.objects.create(
            user=user, digest=_digest(code), expires_at=now + CODE_LIFETIME
        )
    return code, row


def code_in(text: str) -> str:
    """The code a binding command carries, or "" when the text is not one."""
    match = COMMAND.match(text or "")
    return match.group(1).upper() if match else ""


def redeem(*, follower: WechatFollower, code: str) -> User | None:
    """Bind ``follower`` to the code's account; None when the code is unknown, used or expired.

    The conditional UPDATE lets one follower win a code, however many send it at once."""
    now = timezone.now()
    row = WechatBindingCode.objects.filter(digest=_digest(code)).select_related("user").first()
    if row is None or getattr(row.user, "account", None) is None or not row.user.is_active:
        return None
    taken = WechatBindingCode.objects.filter(
        pk=row.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, used_by=follower)
    if not taken:
        return None
    follower.user = row.user
    follower.bound_at = now
    follower.ticket = None  # the account's conversation starts with its next message
    follower.save(update_fields=["user", "bound_at", "ticket"])
    return row.user


def unbind(*, follower: WechatFollower, contact: User) -> None:
    """The follower speaks as its own contact again."""
    follower.user = contact
    follower.bound_at = None
    follower.ticket = None
    follower.save(update_fields=["user", "bound_at", "ticket"])
