"""Where account mail (password resets) enters the outbox.

The one call into the mail layer from accounts: the outbox is moving into a new delivery layer,
and this is the only line to repoint. The worker sends the mail after the request's transaction
commits; nothing is sent inside the request.
"""

from __future__ import annotations


def queue_account_mail(*, to: str, subject: str, text: str, html: str = "") -> None:
    from kefu.intake.email.outbox import queue_email  # the mail layer imports tickets; keep lazy

    queue_email(to=[to], subject=subject, text=text, html=html, kind="notification")
