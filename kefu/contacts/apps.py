from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    """Each customer organisation's directory of store contacts (关联负责人)."""

    name = "kefu.contacts"
    label = "contacts"
    verbose_name = _("Store contacts")
    default_auto_field = "django.db.models.BigAutoField"
