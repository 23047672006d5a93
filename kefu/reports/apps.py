from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboards and exports."""

    name = "kefu.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"
