"""Covering indexes for the report queries on PostgreSQL (index-only scans).

A period's facts are scattered over the table (a fact is rewritten whenever its ticket
changes), so reading them from the heap costs one page per row: at a million tickets that was
most of a second per summary. These indexes hold, in creation-time order, every column the
summary and the dashboard read, so a period is one contiguous index range:

* ``fact_cohort``: the period's cohort (counts, percentiles, breakdowns, filters);
* ``fact_unresolved``: the tickets still unresolved, for the backlog;
* ``fact_resolved``: tickets by resolution time, for the backlog at a past instant;
* ``fact_next_responses``: only the facts with next responses (most have none), for their
  percentiles.

SQLite has no INCLUDE: there the plain ``fact_created`` index serves (embedded installs are
small).
"""

from django.db import migrations

FILTERS = "channel, category_id, team_id, agent_id, tier, language"
CREATE = [
    f"CREATE INDEX IF NOT EXISTS fact_cohort ON reports_ticketfact (created_at) INCLUDE "
    f"(ticket_id, {FILTERS}, day, utc_hour_of_week, resolved_at, resolution_wall, "
    "resolution_business, first_response_wall, first_response_business, reopened, "
    "is_complaint, nudges, handed_off, rating, sla_targets, sla_breached)",
    f"CREATE INDEX IF NOT EXISTS fact_unresolved ON reports_ticketfact (created_at) "
    f"INCLUDE ({FILTERS}) WHERE resolved_at IS NULL",
    f"CREATE INDEX IF NOT EXISTS fact_resolved ON reports_ticketfact (resolved_at, created_at) "
    f"INCLUDE ({FILTERS})",
    f"CREATE INDEX IF NOT EXISTS fact_next_responses ON reports_ticketfact (created_at) "
    f"INCLUDE ({FILTERS}, next_responses) WHERE next_responses <> '[]'::jsonb",
]
NAMES = ("fact_cohort", "fact_unresolved", "fact_resolved", "fact_next_responses")
DROP = [f"DROP INDEX IF EXISTS {name}" for name in NAMES]


def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
