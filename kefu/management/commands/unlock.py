"""``kefu unlock``: let a locked-out account or client address sign in again at once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.accounts.actions import unlock_sign_in


class Command(BaseCommand):
    help = "Clear the failed sign-ins of an account (--email) and/or a client address (--ip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="")
        parser.add_argument("--ip", default="", help="Client address, e.g. 203.0.113.7")

    def handle(self, *args: Any, email: str, ip: str, **options: Any) -> None:
        if not email and not ip:
            raise CommandError("Give --email and/or --ip.")
        cleared = unlock_sign_in(email=email, ip_address=ip)
        self.stdout.write(self.style.SUCCESS(f"Unlocked ({cleared} attempt records cleared)."))
