from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Channels and the intake pipeline."""

    name = "kefu.channels"
    label = "intake"
    verbose_name = _("Intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.accounts.models import Organization
        from kefu.channels import identity, outbound
        from kefu.channels.email import compose, imap, outbox
        from kefu.channels.models import Mailbox
        from kefu.jobs.sweepers import register
        from kefu.tickets.signals import event_recorded

        register(outbox.SWEEPER)
        register(imap.SWEEPER)
        event_recorded.connect(outbound.on_event_recorded, dispatch_uid="intake-outbound")
        for signal in (post_save, post_delete):
            signal.connect(identity.forget_domains, sender=Organization, dispatch_uid="domains")
            signal.connect(compose.forget_mailboxes, sender=Mailbox, dispatch_uid="mailboxes")
