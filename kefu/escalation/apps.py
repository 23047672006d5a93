from django.apps import AppConfig


class EscalationConfig(AppConfig):
    """Escalation paths, nudges and complaints."""

    name = "kefu.escalation"
    label = "escalation"
    default_auto_field = "django.db.models.BigAutoField"
