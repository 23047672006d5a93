"""The daily archiving and retention turn of the worker: a dry run of each first, then the
real run only where an administrator switched archiving on (retention rules other than keep
are the administrator's switch for retention)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kefu.archive import actions, retention
from kefu.archive.models import ArchivePolicy
from kefu.jobs.sweepers import Sweeper

EVERY = timedelta(days=1)


def next_due() -> datetime | None:
    return actions.policy().next_run_at


def sweep(now: datetime) -> int:
    rules = actions.policy()
    if rules.next_run_at is not None and rules.next_run_at > now:
        return 0
    claimed = ArchivePolicy.objects.filter(pk=rules.pk, next_run_at=rules.next_run_at).update(
        next_run_at=now + EVERY
    )
    if not claimed:
        return 0  # another worker took this turn
    dry = actions.run_archiving(dry_run=True, now=now)
    moved = 0
    if rules.enabled and dry.counts.get("tickets"):
        moved = actions.run_archiving(dry_run=False, now=now).counts["tickets"]
    retention.run_retention(dry_run=True, now=now)
    if rules.enabled:
        retention.run_retention(dry_run=False, now=now)
    return moved or 1


SWEEPER = Sweeper(name="archive", run=sweep, next_due=next_due, max_sleep=3600.0)
