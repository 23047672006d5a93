from django.apps import AppConfig


class SlaConfig(AppConfig):
    """Business calendars, SLA policies and clocks."""

    name = "kefu.sla"
    label = "sla"
    default_auto_field = "django.db.models.BigAutoField"
