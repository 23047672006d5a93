from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background worker and schedules."""

    name = "kefu.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
