"""What follows a ticket change is written in one place (issue #12, must show 5): ``kefu.flow``
lists the followers; no signal receiver does ticket follow-up; event kinds are enum members
everywhere, never string literals."""

from __future__ import annotations

import re
from pathlib import Path

from kefu import flow
from kefu.tickets.models import EventKind

KEFU = Path(__file__).resolve().parents[1]
KINDS = "|".join(sorted(EventKind.values, key=len, reverse=True))
# Where an event kind is named: compared, filtered on, or recorded.
NAMED = [
    re.compile(rf"""kind\s*(?:==|!=)\s*["']({KINDS})["']"""),
    re.compile(rf"""["']({KINDS})["']\s*(?:==|!=)\s*\w*\.?kind\b"""),
    re.compile(rf"""kind(?:__in)?\s*=\s*[\[(]?\s*["']({KINDS})["']"""),
    re.compile(rf"""record_event\(\s*[\w.]+\s*,\s*[\w.]+\s*,\s*["']({KINDS})["']"""),
    re.compile(rf"""\.kind\s+(?:not\s+)?in\s*[\[(]\s*["']({KINDS})["']"""),
]


def _sources() -> list[Path]:
    found = [*KEFU.rglob("*.py"), *KEFU.rglob("*.html")]
    return [p for p in found if "migrations" not in p.parts and "tests" not in p.parts]


def test_no_event_kind_is_written_as_a_string_literal():
    offenders = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for pattern in NAMED:
            offenders += [f"{path.relative_to(KEFU)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_check_above_would_catch_a_literal():
    samples = ['if event.kind == "reply":', 'events.filter(kind="sla_breach")',
               'record_event(ticket, SYSTEM, "escalated", new=1)', '{% if e.kind == "merged" %}']  # fmt: skip
    assert all(any(p.search(sample) for p in NAMED) for sample in samples)


def test_no_signal_does_ticket_follow_up():
    assert not (KEFU / "tickets" / "signals.py").exists()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        assert "Signal()" not in text, path
        for model in ("Ticket", "TicketEvent", "Message", "Attachment"):
            assert not re.search(rf"post_save\.connect\([^)]*sender={model}\b", text), path


def test_every_follower_names_real_kinds_and_runs_once_in_order():
    for follower in (*flow.INSIDE, *flow.AFTER_COMMIT):
        assert follower.kinds and follower.kinds <= set(EventKind), follower.name
    names = [f.name for f in flow.INSIDE]
    assert len(names) == len(set(names))
    # The score reads the SLA due times the clocks' rebuild leaves: clocks come first.
    assert names.index("SLA clocks") < names.index("queue score")
