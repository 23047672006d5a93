from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Offline service appointments (线下服务预约): booking requests tied to tickets, with their
    confirmation deadline on the Chinese business calendar."""

    name = "kefu.appointments"
    label = "appointments"
    verbose_name = _("Offline appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.appointments import sweep
        from kefu.jobs.sweepers import register

        register(sweep.SWEEPER)
