from django.apps import AppConfig


class TriageConfig(AppConfig):
    """Classification, rules, evidence and routing."""

    name = "kefu.triage"
    label = "triage"
    default_auto_field = "django.db.models.BigAutoField"
