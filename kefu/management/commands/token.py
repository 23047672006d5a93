from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.accounts.actions import create_api_token
from kefu.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Manage API tokens. `kefu token create --email E [--name N]` prints the new token."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; it is printed once, last")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="cli")
        create.add_argument(
            "--integration",
            action="store_true",
            help="For inbound webhooks (e.g. /api/v1/inbound/email) rather than acting as the user",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with email {options['email']}.")
        purpose = ApiToken.Purpose.INTEGRATION if options["integration"] else ApiToken.Purpose.USER
        token = create_api_token(user=user, name=options["name"], purpose=purpose)
        self.stderr.write(f"Token “{options['name']}” for {user.email} — shown only now:")
        self.stdout.write(token)
