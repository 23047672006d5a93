from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MacrosConfig(AppConfig):
    """Macros: bilingual replies with placeholders and ticket actions, applied in one submit."""

    name = "kefu.macros"
    label = "macros"
    verbose_name = _("Macros")
    default_auto_field = "django.db.models.BigAutoField"
