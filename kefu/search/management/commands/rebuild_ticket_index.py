"""Rebuild the ticket search index from the tickets (after a restore, or a tokenizer change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kefu.search.actions import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the ticket search index."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rebuild_index()} tickets indexed")
