from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, exports, the service-health page and weekly summaries, over report facts
    kept current by the worker."""

    name = "kefu.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.jobs.sweepers import register
        from kefu.reports import rollup, weekly

        register(rollup.SWEEPER)
        register(weekly.SWEEPER)
