"""The six fixed chat canned replies become admin-wide macros (and their single-brace
placeholders the macros' double-brace names); the canned replies' table goes next
(``intake.0007``)."""

from django.db import migrations

PLACEHOLDERS = {
    "{customer}": "{{customer.name}}",
    "{ticket}": "{{ticket.number}}",
    "{agent}": "{{agent.code}}",
    "{order}": "{{ticket.order_id}}",
}


def _convert(text):
    for old, new in PLACEHOLDERS.items():
        text = text.replace(old, new)
    return text


def canned_to_macros(apps, schema_editor):
    CannedReply = apps.get_model("intake", "CannedReply")
    Macro = apps.get_model("macros", "Macro")
    for reply in CannedReply.objects.order_by("code"):
        scope = "team" if reply.team_id else "global"
        Macro.objects.get_or_create(
            title_en=reply.title_en,
            scope=scope,
            team_id=reply.team_id,
            defaults={
                "title_zh": reply.title_zh,
                "text_en": _convert(reply.text_en),
                "text_zh": _convert(reply.text_zh),
                "is_active": reply.is_active,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("macros", "0001_initial"),
        ("intake", "0006_encrypt_imap_password"),
    ]
    operations = [migrations.RunPython(canned_to_macros, migrations.RunPython.noop)]
