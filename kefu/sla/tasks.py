"""Background work of the SLA app (run by ``kefu worker``; inline in tests)."""

from __future__ import annotations

from django_tasks import task

from kefu.sla.actions import rebuild_all_clocks


@task()
def rebuild_open_clocks() -> int:
    """After an admin changed a policy or calendar: open tickets' clocks follow at once."""
    return rebuild_all_clocks(open_only=True)
