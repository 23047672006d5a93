"""IMAP passwords are encrypted at rest (``kefu.crypto.EncryptedTextField``): the column becomes
text (tokens are longer than 255 characters) and every stored password is written again, which
encrypts it. Backwards, the passwords are written back in clear before the column narrows."""

from django.db import migrations

import kefu.crypto


def encrypt_passwords(apps, schema_editor):
    Mailbox = apps.get_model("intake", "Mailbox")
    # Reading returns old, unmarked values as they are; saving encrypts them.
    for pk, password in Mailbox.objects.exclude(imap_password="").values_list("pk", "imap_password"):
        Mailbox.objects.filter(pk=pk).update(imap_password=password)


def decrypt_passwords(apps, schema_editor):
    Mailbox = apps.get_model("intake", "Mailbox")
    table = schema_editor.quote_name(Mailbox._meta.db_table)
    rows = list(Mailbox.objects.exclude(imap_password="").values_list("pk", "imap_password"))
    with schema_editor.connection.cursor() as cursor:
        for pk, password in rows:  # past the field, which would encrypt again
            cursor.execute(f"UPDATE {table} SET imap_password = %s WHERE id = %s", [password, pk])


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0005_chat_presence_outbox_moved"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mailbox",
            name="imap_password",
            field=kefu.crypto.EncryptedTextField(blank=True, verbose_name="IMAP password"),
        ),
        migrations.RunPython(encrypt_passwords, decrypt_passwords),
    ]
