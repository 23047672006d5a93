from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """Everything Kefu owes the outside world after a change: the outbox and its adapters."""

    name = "kefu.delivery"
    label = "delivery"
    verbose_name = _("Delivery")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.delivery import outbox
        from kefu.jobs.sweepers import register

        register(outbox.SWEEPER)
