"""The intake's outbound mail becomes the delivery outbox's email rows (intake drops its table
after this)."""

from django.db import migrations

FIELDS = ("kind", "ticket_id", "ticket_message_id", "from_address", "to", "subject", "text",
          "html", "in_reply_to", "references", "state", "attempts", "next_attempt_at",
          "last_error", "created_at", "sent_at")  # fmt: skip


def copy_rows(apps, schema_editor):
    old = apps.get_model("intake", "OutboundEmail")
    new = apps.get_model("delivery", "Delivery")
    batch = []
    for row in old.objects.order_by("pk").iterator(chunk_size=1000):
        values = {name: getattr(row, name) for name in FIELDS}
        batch.append(new(channel="email", key=row.message_id, **values))
        if len(batch) >= 1000:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0001_initial"),
        ("intake", "0004_mailbox_poll_state"),
    ]

    operations = [migrations.RunPython(copy_rows, migrations.RunPython.noop)]
