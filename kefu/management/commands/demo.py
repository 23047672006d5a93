from typing import Any

from django.core.management.base import BaseCommand

from kefu.demo import load_demo


class Command(BaseCommand):
    help = "Load the bilingual demo data (idempotent). Every demo login's password is kefu-demo."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new tickets)."))
