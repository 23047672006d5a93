from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    """Business calendars, SLA policies and clocks."""

    name = "kefu.sla"
    label = "sla"
    verbose_name = _("SLA")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from kefu.jobs.sweepers import register
        from kefu.sla import policies, receivers, sweep
        from kefu.sla.models import BusinessCalendar, CalendarDate, SlaPolicy

        register(sweep.SWEEPER)
        post_save.connect(
            receivers.on_calendar_saved, sender=BusinessCalendar, dispatch_uid="sla-cal"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.on_calendar_date_changed, sender=CalendarDate, dispatch_uid="sla-date"
            )
        m2m_changed.connect(
            policies.forget_policies,
            sender=SlaPolicy.extra_calendars.through,
            dispatch_uid="sla-pol-cal",
        )
