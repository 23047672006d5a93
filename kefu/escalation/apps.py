from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    """Escalation paths, nudges and complaints."""

    name = "kefu.escalation"
    label = "escalation"
    verbose_name = _("Escalation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.escalation import sweep
        from kefu.jobs.sweepers import register

        register(sweep.SWEEPER)
