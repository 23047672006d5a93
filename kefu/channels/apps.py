from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Channels and the intake pipeline."""

    name = "kefu.channels"
    label = "intake"
    default_auto_field = "django.db.models.BigAutoField"
