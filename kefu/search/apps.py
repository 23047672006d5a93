from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The ticket search index: one document of pre-computed tokens per ticket."""

    name = "kefu.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"
