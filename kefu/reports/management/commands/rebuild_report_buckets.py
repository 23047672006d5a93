"""``kefu rebuild_report_buckets``: recount the reports' daily buckets from the facts, after a
restore, a manual repair of facts, or to check the sweeper's incremental upkeep."""

from typing import Any

from django.core.management.base import BaseCommand

from kefu.reports.buckets import rebuild


class Command(BaseCommand):
    help = "Recount the reports' daily buckets from the per-ticket facts."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rebuild()} daily buckets recounted from the facts")
