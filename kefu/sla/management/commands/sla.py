"""``kefu sla``: business-time answers from the command line, and clock maintenance.

``kefu sla due --calendar cn-standard --start 2026-09-30T17:00:00+08:00 --target 1d`` prints the
due instant alone (ISO 8601, the calendar's offset); warnings go to stderr.
``kefu sla rebuild [--ticket KF…] [--all]`` recomputes clocks after a policy or calendar change.
``kefu sla warnings`` lists years whose holidays a calendar's source does not know yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kefu.sla.actions import rebuild_all_clocks, rebuild_clocks
from kefu.sla.calendars import BilingualError, BilingualText, coverage_warnings
from kefu.sla.clock import due_iso, parse_target
from kefu.sla.models import BusinessCalendar
from kefu.sla.specs import calendar_for, calendar_warnings
from kefu.tickets.models import Ticket


class Command(BaseCommand):
    help = "SLA tools: due instants on business calendars, clock rebuilds, calendar warnings."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        due = commands.add_parser("due", help="Print when a target falls due on a calendar")
        due.add_argument("--calendar", required=True, help="calendar code, e.g. cn-standard")
        due.add_argument("--start", required=True, help="ISO 8601 instant, e.g. 2026-09-30T17:00")
        due.add_argument("--target", required=True, help="e.g. 3m, 24h, 1h30m, 1d, 5d")
        rebuild = commands.add_parser("rebuild", help="Recompute SLA clocks from ticket history")
        rebuild.add_argument("--ticket", help="only this ticket number")
        rebuild.add_argument("--all", action="store_true", help="closed tickets too")
        commands.add_parser("warnings", help="Years the holiday sources do not know yet")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except BilingualError as error:
            raise CommandError(f"{error.en}\n{error.zh}") from error

    def _warn(self, warnings: list[BilingualText]) -> None:
        for warning in warnings:
            self.stderr.write(f"warning: {warning.en}\n警告：{warning.zh}")

    def _due(self, *, calendar: str, start: str, target: str, **_: Any) -> None:
        moment = _parse_start(start)
        spec = calendar_for([calendar], around=moment)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(spec.zone))
        iso = due_iso(spec, moment, parse_target(target))
        touched = range(moment.year, datetime.fromisoformat(iso).year + 1)
        self._warn(coverage_warnings(spec, years=touched))
        self.stdout.write(iso)

    def _rebuild(self, *, ticket: str | None, all: bool, **_: Any) -> None:
        if ticket:
            found = Ticket.objects.select_related("organization").filter(number=ticket).first()
            if found is None:
                raise CommandError(f"no ticket {ticket} / 工单 {ticket} 不存在")
            clocks = rebuild_clocks(ticket=found)
            self.stdout.write(f"{found.number}: {len(clocks)} clocks")
            return
        self.stdout.write(f"{rebuild_all_clocks(open_only=not all)} tickets rebuilt")

    def _warnings(self, **_: Any) -> None:
        found = []
        for calendar in BusinessCalendar.objects.prefetch_related("dates"):
            found += calendar_warnings(calendar, around=timezone.now())
        self._warn(found)
        self.stdout.write(f"{len(found)} warnings")


def _parse_start(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BilingualError(
            f"start {text!r}: use ISO 8601, e.g. 2026-09-30T17:00:00+08:00",
            f"开始时间 {text!r}：请使用 ISO 8601 格式，例如 2026-09-30T17:00:00+08:00",
        ) from error
