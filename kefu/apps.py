from django.apps import AppConfig


class KefuConfig(AppConfig):
    """Cross-cutting pieces: CLI commands, base templates, static files, catalogues."""

    name = "kefu"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from kefu.i18n import compile_catalogues

        compile_catalogues()
        # Pillow's bomb guard at Kefu's own limit, for any image opened anywhere in the process.
        Image.MAX_IMAGE_PIXELS = settings.KEFU_IMAGE_MAX_PIXELS
