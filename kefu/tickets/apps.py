from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TicketsConfig(AppConfig):
    """Tickets, messages, attachments and events."""

    name = "kefu.tickets"
    label = "tickets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.accounts.models import Team
        from kefu.tickets import queries
        from kefu.tickets.models import Category
        from kefu.tickets.signals import ticket_changed

        ticket_changed.connect(queries.forget_counts, dispatch_uid="tickets-counts")
        for signal in (post_save, post_delete):
            for model in (Category, Team):
                uid = f"tickets-categories-{model.__name__}"
                signal.connect(queries.forget_categories, sender=model, dispatch_uid=uid)
