"""``kefu createadmin``: an administrator account, its password checked by the validators."""

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kefu.accounts.actions import create_agent
from kefu.accounts.models import Agent, User


class Command(BaseCommand):
    help = "Create an administrator (non-interactive when --email and --password are given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email")
        parser.add_argument("--password")
        parser.add_argument("--code", default="", help="Agent id shown to customers")

    def handle(
        self, *args: Any, email: str | None, password: str | None, code: str, **o: Any
    ) -> None:
        email = email or input("Email: ").strip()
        password = password or getpass.getpass("Password: ")
        if not email or not password:
            raise CommandError("An email and a password are required.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already exists.")
        try:  # the same rules as every password set through Kefu; the CLI speaks English
            with translation.override("en"):
                validate_password(password, User(email=email))
        except ValidationError as exc:
            raise CommandError("Password: " + " ".join(exc.messages)) from exc
        code = code or f"ADM{Agent.objects.count() + 1:03d}"
        agent = create_agent(email=email, code=code, password=password, role=Agent.Role.ADMIN)
        self.stdout.write(self.style.SUCCESS(f"Administrator {agent.user.email} ({agent.code})"))
