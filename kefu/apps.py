from django.apps import AppConfig


class KefuConfig(AppConfig):
    """Cross-cutting pieces: CLI commands, base templates, static files, catalogues."""

    name = "kefu"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.i18n import compile_catalogues

        compile_catalogues()
