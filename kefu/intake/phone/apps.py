from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhoneConfig(AppConfig):
    """Hotlines: lines, IVR menus, calls and callback tasks (its own app: its own migrations)."""

    name = "kefu.intake.phone"
    label = "phone"
    verbose_name = _("Phone hotlines")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.intake.phone import sweep
        from kefu.jobs.sweepers import register

        register(sweep.SWEEPER)
