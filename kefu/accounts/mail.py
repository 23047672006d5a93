"""Where account mail (password resets) enters the outbox.

The one call into the delivery layer from accounts. The worker sends the mail after the
request's transaction commits; nothing is sent inside the request.
"""

from __future__ import annotations

from kefu.delivery.models import Delivery


def queue_account_mail(*, to: str, subject: str, text: str, html: str = "") -> None:
    from kefu.delivery.email import queue_email  # the delivery layer imports tickets: lazy

    queue_email(to=[to], subject=subject, text=text, html=html, kind=Delivery.Kind.NOTIFICATION)
