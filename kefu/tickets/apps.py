from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """Tickets, messages, attachments and events."""

    name = "kefu.tickets"
    label = "tickets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.tickets import queries
        from kefu.tickets.signals import ticket_changed

        ticket_changed.connect(queries.forget_counts, dispatch_uid="tickets-counts")
