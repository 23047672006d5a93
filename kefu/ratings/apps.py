from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """After a resolution: the customer's rating, and the window in which they confirm it (or a
    reply reopens it) before the ticket closes by itself."""

    name = "kefu.ratings"
    label = "ratings"
    verbose_name = _("Ratings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.jobs.sweepers import register
        from kefu.ratings import sweep

        register(sweep.SWEEPER)
