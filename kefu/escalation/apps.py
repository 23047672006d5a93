from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    """Escalation paths, nudges and complaints."""

    name = "kefu.escalation"
    label = "escalation"
    verbose_name = _("Escalation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.accounts.models import Team
        from kefu.escalation import queries, receivers, sweep
        from kefu.escalation.models import EscalationLevel, EscalationPath
        from kefu.jobs.sweepers import register
        from kefu.tickets.signals import event_recorded

        register(sweep.SWEEPER)
        event_recorded.connect(receivers.on_event_recorded, dispatch_uid="escalation")
        for signal in (post_save, post_delete):
            for model in (EscalationPath, EscalationLevel, Team):
                uid = f"escalation-paths-{model.__name__}"
                signal.connect(queries.forget_paths, sender=model, dispatch_uid=uid)
