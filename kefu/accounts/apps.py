from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, accounts, agents and teams."""

    name = "kefu.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
