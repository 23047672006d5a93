"""API shapes of SLA clocks."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from kefu.sla.queries import ClockView


class ClockOut(Schema):
    metric: str
    metric_label: str
    state: str
    target: str
    calendars: list[str]
    policy: str | None
    started_at: datetime
    due_at: datetime | None
    warn_at: datetime | None
    remaining_seconds: int | None
    met_at: datetime | None
    warned_at: datetime | None
    breached_at: datetime | None

    @classmethod
    def of(cls, view: ClockView) -> ClockOut:
        clock = view.clock
        return cls(
            metric=clock.metric,
            metric_label=view.metric_label,
            state=clock.state,
            target=clock.target,
            calendars=clock.calendar_codes,
            policy=clock.policy.code if clock.policy else None,
            started_at=clock.started_at,
            due_at=clock.due_at,
            warn_at=clock.warn_at,
            remaining_seconds=view.remaining_seconds,
            met_at=clock.met_at,
            warned_at=clock.warned_at,
            breached_at=clock.breached_at,
        )
