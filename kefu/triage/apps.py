from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Classification, rules, evidence and routing."""

    name = "kefu.triage"
    label = "triage"
    verbose_name = _("Triage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.jobs.sweepers import register
        from kefu.tickets.models import Category
        from kefu.triage import receivers, score_refresh, statistics
        from kefu.triage.models import CategorySkills, EvidenceRequirement, TriageRule

        register(score_refresh.SWEEPER)
        register(statistics.SWEEPER)
        for model in (TriageRule, EvidenceRequirement, CategorySkills, Category):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.on_triage_data_changed,
                    sender=model,
                    dispatch_uid=f"triage-cache-{model.__name__}",
                )
