from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Channels and the intake pipeline."""

    name = "kefu.intake"
    label = "intake"
    verbose_name = _("Intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.intake import derivation
        from kefu.intake.email import imap
        from kefu.intake.wechat import wecom
        from kefu.jobs.sweepers import register

        register(derivation.SWEEPER)
        register(imap.SWEEPER)
        register(wecom.SWEEPER)
