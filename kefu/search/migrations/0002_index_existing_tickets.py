"""Build the search documents of the tickets that existed before the index."""

from django.db import migrations

from kefu.search.documents import documents

BATCH = 2000


def build(apps, schema_editor) -> None:
    ticket_model = apps.get_model("tickets", "Ticket")
    message_model = apps.get_model("tickets", "Message")
    document_model = apps.get_model("search", "TicketDocument")
    ids = list(ticket_model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        document_model.objects.bulk_create(
            document_model(ticket_id=d.ticket_id, head=d.head, body=d.body, notes=d.notes)
            for d in documents(ticket_model, message_model, ids[start : start + BATCH])
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_ticket_document")]
    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
