from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    """Escalation paths, nudges and complaints."""

    name = "kefu.escalation"
    label = "escalation"
    verbose_name = _("Escalation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.escalation import receivers, sweep
        from kefu.jobs.sweepers import register
        from kefu.tickets.signals import event_recorded

        register(sweep.SWEEPER)
        event_recorded.connect(receivers.on_event_recorded, dispatch_uid="escalation")
