"""The staff notifications escalation kept become everyone's notifications (recipient: the
agent's user); escalation drops its table after this."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    old = apps.get_model("escalation", "Notification")
    new = apps.get_model("notifications", "Notification")
    rows = old.objects.select_related("recipient").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=1000):
        batch.append(
            new(recipient_id=row.recipient.user_id, ticket_id=row.ticket_id, kind=row.kind,
                params=row.params, created_at=row.created_at, read_at=row.read_at)
        )  # fmt: skip
        if len(batch) >= 1000:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("escalation", "0003_incident_linked_count_derived"),
    ]

    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
