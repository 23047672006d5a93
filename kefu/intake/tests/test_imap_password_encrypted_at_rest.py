"""The mailboxes' IMAP passwords are encrypted in the database (``EncryptedTextField``): the
admin still sets them and never sees them back, the worker reads them in clear, and rows from
before encryption are encrypted by the data migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from kefu.crypto import VALUE_MARK
from kefu.intake.models import Mailbox
from kefu.intake.tests.test_email_admin import admin_client, mailbox_form

SECRET = "imap-pass-word-9"


def stored(mailbox: Mailbox) -> str:
    """The column as the database holds it, past the field."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT imap_password FROM intake_mailbox WHERE id = %s", [mailbox.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_admin_sets_the_password_and_the_database_holds_it_encrypted(personas):
    client, token = admin_client(personas)
    assert client.post("/admin/intake/mailbox/add/", mailbox_form(token, SECRET)).status_code == 302
    mailbox = Mailbox.objects.get()
    raw = stored(mailbox)
    assert raw.startswith(VALUE_MARK) and SECRET not in raw
    assert mailbox.imap_password == SECRET  # what the IMAP poller logs in with
    assert Mailbox.objects.values_list("imap_password", flat=True).get() == SECRET
    page = client.get(f"/admin/intake/mailbox/{mailbox.pk}/change/").content.decode()
    assert SECRET not in page and raw not in page and VALUE_MARK not in page


@pytest.mark.django_db
def test_each_write_encrypts_afresh_and_empty_stays_empty(personas):
    mailbox = Mailbox.objects.create(code="service", address="s@k.test", imap_password=SECRET)
    first = stored(mailbox)
    mailbox.save()
    assert stored(mailbox) != first  # a new IV: equal passwords do not show as equal
    empty = Mailbox.objects.create(code="merchant", address="m@k.test")
    assert stored(empty) == "" and Mailbox.objects.filter(imap_password="").count() == 1


@pytest.mark.django_db
def test_the_data_migration_encrypts_passwords_stored_in_clear(personas):
    mailbox = Mailbox.objects.create(code="service", address="s@k.test")
    with connection.cursor() as cursor:  # as the previous release stored it
        cursor.execute("UPDATE intake_mailbox SET imap_password = %s WHERE id = %s",
                       [SECRET, mailbox.pk])  # fmt: skip
    mailbox.refresh_from_db()
    assert mailbox.imap_password == SECRET  # still readable before the migration
    migration = importlib.import_module("kefu.intake.migrations.0006_encrypt_imap_password")
    migration.encrypt_passwords(apps, None)
    assert stored(mailbox).startswith(VALUE_MARK)
    mailbox.refresh_from_db()
    assert mailbox.imap_password == SECRET
