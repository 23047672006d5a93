from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitorsConfig(AppConfig):
    """What people without an account may do: ask for a ticket's status by its number and their
    email (answered by mail only, so nothing is revealed to whoever typed them) and write to
    support through the contact form."""

    name = "kefu.visitors"
    label = "visitors"
    verbose_name = _("Visitors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.jobs.sweepers import register
        from kefu.visitors import sweep

        register(sweep.SWEEPER)
