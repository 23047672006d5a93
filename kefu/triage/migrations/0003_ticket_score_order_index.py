from django.db import migrations

# The agents' queue and "next ticket" read `ORDER BY score DESC, created_at, id LIMIT n` under
# filters that no composite index can order (team OR assignee, several statuses). An index in
# exactly that order lets the database walk it and stop after n matches: 0.6 ms instead of
# 400 ms for the first page of 100k open tickets on SQLite (bench/triage.py --queue 100000).
# It belongs to the tickets table; it lives here because the queue order is triage's.
SQL = "CREATE INDEX triage_ticket_score_order ON tickets_ticket (score DESC, created_at, id)"


class Migration(migrations.Migration):
    dependencies = [("triage", "0002_seed_triage_data"), ("tickets", "0003_number_sequence")]
    operations = [
        migrations.RunSQL(SQL, reverse_sql="DROP INDEX triage_ticket_score_order"),
    ]
