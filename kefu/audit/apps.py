from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit log of the whole system (sign-ins, tokens, permissions, admin
    edits, exports, archiving runs, erasures)."""

    name = "kefu.audit"
    label = "audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.audit import receivers

        receivers.connect()
