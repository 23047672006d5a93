from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """Two-year archiving, retention rules, legal holds and data-subject requests."""

    name = "kefu.archive"
    label = "archive"
    verbose_name = _("Archive and retention")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.archive import sweep
        from kefu.jobs.sweepers import register

        register(sweep.SWEEPER)
