"""Build the search documents of the tickets that existed before the index."""

from django.db import migrations

from kefu.search.documents import build_documents


class Migration(migrations.Migration):
    dependencies = [("search", "0001_ticket_document")]
    operations = [migrations.RunPython(build_documents, migrations.RunPython.noop)]
