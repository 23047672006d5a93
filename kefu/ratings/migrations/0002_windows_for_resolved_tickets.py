"""Tickets already resolved when this release is installed get their resolution window too, so
they close by themselves like the others. Their timers start at the upgrade (reminder after
N-1 working days, close after N), not at their old resolution: customers are not sent a burst
of "closed without an answer" mail for resolutions they were never told would expire."""

from django.db import migrations
from django.utils import timezone


def open_windows(apps, schema_editor):  # type: ignore[no-untyped-def]
    from kefu.ratings.actions import window_for

    Ticket = apps.get_model("tickets", "Ticket")
    Resolution = apps.get_model("ratings", "Resolution")
    resolved = Ticket.objects.filter(status="resolved", resolved_at__isnull=False)
    if not resolved.exists():
        return
    remind_at, close_at = window_for(timezone.now())
    Resolution.objects.bulk_create(
        (
            Resolution(ticket_id=pk, resolved_at=at, remind_at=remind_at, close_at=close_at)
            for pk, at in resolved.values_list("pk", "resolved_at").iterator()
        ),
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0001_initial"),
        ("sla", "0003_seed_policies"),
    ]

    operations = [migrations.RunPython(open_windows, migrations.RunPython.noop)]
