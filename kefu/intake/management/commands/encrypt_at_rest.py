"""``kefu encrypt_at_rest``: encrypt what was kept in clear before encryption at rest existed (raw
inbound payloads), and re-encrypt under the first key after a rotation (those and the mailboxes'
IMAP passwords). ``--generate-key`` prints a new key for ``KEFU_ENCRYPTION_KEY``."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from kefu.intake import rawstore
from kefu.intake.models import Mailbox


class Command(BaseCommand):
    help = "Encrypt raw inbound payloads and stored secrets with the current encryption key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--generate-key", action="store_true", help="print a new key and do nothing else"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        files = rawstore.encrypt_existing()
        with transaction.atomic():
            mailboxes = list(Mailbox.objects.exclude(imap_password=""))
            for mailbox in mailboxes:  # saving encrypts with the first key
                Mailbox.objects.filter(pk=mailbox.pk).update(imap_password=mailbox.imap_password)
        self.stdout.write(f"{files} raw payloads and {len(mailboxes)} passwords encrypted")
