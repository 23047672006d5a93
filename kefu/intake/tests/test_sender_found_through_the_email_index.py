"""Every inbound message looks its sender up by address, ignoring case: through the
``Upper("email")`` index (SQLite compiles ``email__iexact`` to ``LIKE``, which reads the whole
user table for each mail), and still finding the user whatever case the mail writes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.intake.email.inbound import deliver
from kefu.intake.identity import _users_with_email
from kefu.testing import authenticated


def _mail(sender: str, message_id: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: service@kefu.example.com\r\nSubject: order 1182 missing\r\n"
        f"Message-ID: <{message_id}@acme.test>\r\n\r\n"
        "My parcel for order 1182 never arrived, please check.\r\n"
    ).encode()


def test_a_sender_written_in_another_case_is_the_same_user(personas, mail_dns):
    raw = authenticated(_mail("Anna <ANNA@Acme.TEST>", "case-1"), mail_dns)
    with CaptureQueriesContext(connection) as queries:
        result = deliver(raw)
    assert result.ticket is not None
    assert result.ticket.requester == personas.anna
    lookups = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert lookups, "the sender was looked up"
    assert not any(" LIKE " in sql for sql in lookups)


def test_the_lookup_is_served_by_the_index(personas):
    users = _users_with_email("ANNA@ACME.TEST")
    assert list(users) == [personas.anna]
    sql, params = users.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: a scan is cheaper
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
    assert "user_email_ci" in plan, plan
