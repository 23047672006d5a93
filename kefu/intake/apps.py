from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Channels and the intake pipeline."""

    name = "kefu.intake"
    label = "intake"
    verbose_name = _("Intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.intake import outbound
        from kefu.intake.email import imap, outbox
        from kefu.jobs.sweepers import register
        from kefu.tickets.signals import event_recorded

        register(outbox.SWEEPER)
        register(imap.SWEEPER)
        event_recorded.connect(outbound.on_event_recorded, dispatch_uid="intake-outbound")
