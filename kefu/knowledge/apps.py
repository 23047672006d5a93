from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Knowledge base and bot."""

    name = "kefu.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.knowledge import receivers

        receivers.connect()
