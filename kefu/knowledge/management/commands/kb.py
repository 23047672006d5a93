from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.knowledge.actions import SHIPPED_ARTICLES_DIR, load_articles
from kefu.knowledge.frontmatter import FrontMatterError
from kefu.tickets.models import Category


class Command(BaseCommand):
    help = (
        "Knowledge base. `kefu kb load [--dir D] [--force]` creates or updates articles from "
        "<D>/<lang>/*.md for each of the 12 languages (default: the shipped set); articles edited "
        "in the admin keep their edits unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load article files (idempotent)")
        load.add_argument("--dir", type=Path, default=SHIPPED_ARTICLES_DIR)
        load.add_argument(
            "--force", action="store_true", help="Overwrite articles edited in the admin"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        codes = set(Category.objects.values_list("code", flat=True))
        try:
            report = load_articles(
                root=options["dir"], force=options["force"], category_codes=codes
            )
        except (FrontMatterError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, kept local edits {len(report.kept_local_edits)}"
        )
        for name in report.kept_local_edits:
            self.stdout.write(f"  kept local edits: {name} (use --force to overwrite)")
