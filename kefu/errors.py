"""Typed errors with their HTTP status. Actions raise them; the API and views render them.

Messages are lazy translations, so each caller reads them in its own language.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class KefuError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, object]:
        detail: dict[str, object] = {"msg": str(self.message)}
        if self.field:
            detail["field"] = self.field
            detail["loc"] = ["body", self.field]
        return {"detail": [detail] if self.field else str(self.message), "code": self.code}


class NotFound(KefuError):
    status = 404
    code = "not_found"

    def __init__(self, message: str | Promise | None = None, **kw: str | None) -> None:
        super().__init__(message or _("Not found."), **kw)


class Forbidden(KefuError):
    status = 403
    code = "forbidden"


class Invalid(KefuError):
    """Input that breaks a rule; ``field`` names the offending field."""

    status = 422
    code = "validation_error"


class InvalidTransition(KefuError):
    status = 409
    code = "invalid_transition"


class StaleTicket(KefuError):
    """Optimistic concurrency: the ticket changed after the page (or the API client) read it."""

    status = 409
    code = "ticket_changed"


class AttachmentRejected(Invalid):
    code = "attachment_rejected"
