import threading

import pytest
from django.db import connection

from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.intake.models import InboundRecord, Outcome
from kefu.tickets.models import Ticket


def _mail(external_id: str = "m1@example.com", text: str = "Where is PO-7?") -> InboundMessage:
    return InboundMessage(
        channel="email", external_id=external_id, text=text, subject="Order PO-7",
        sender_address="anna@acme.test",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_redelivered_message_never_makes_a_second_ticket(personas):
    first = ingest(_mail())
    again = ingest(_mail())
    assert first.outcome == Outcome.TICKET
    assert (again.outcome, again.ticket) == (Outcome.DUPLICATE, first.ticket)
    assert Ticket.objects.count() == 1
    assert InboundRecord.objects.count() == 1


@pytest.mark.django_db
def test_another_message_reusing_an_id_is_not_dropped(personas):
    ingest(_mail("0@localhost", "first question"))
    second = ingest(_mail("0@localhost", "a different question"))
    assert second.outcome == Outcome.TICKET
    assert Ticket.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_deliveries_of_one_message_make_one_ticket(personas):
    outcomes: list[str] = []
    start = threading.Barrier(6)

    def deliver() -> None:
        try:
            start.wait()
            outcomes.append(ingest(_mail()).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [Outcome.DUPLICATE] * 5 + [Outcome.TICKET]
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_an_api_ticket_without_a_key_is_recorded_once_done_and_counted_in_its_burst(personas):
    from django.test.utils import CaptureQueriesContext

    from kefu.testing import api_client

    client = api_client(personas.anna)
    texts = ["Where is my order PO-1? It is a week late.", "Invoice 7 shows the wrong VAT number."]
    for n, text in enumerate(texts):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/v1/tickets", {"subject": f"Question {n}", "body": text},
                                   content_type="application/json")  # fmt: skip
        assert response.status_code == 201, response.content
        writes = [q["sql"] for q in queries if "intake_inboundrecord" in q["sql"]
                  and not q["sql"].startswith(("SELECT", "(SELECT"))]  # fmt: skip
        assert len(writes) == 1 and writes[0].startswith("INSERT")
    record = InboundRecord.objects.latest("pk")
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert (record.outcome, record.ticket_id, record.message_id) == (
        Outcome.TICKET,
        ticket.pk,
        ticket.messages.get().pk,
    )
    assert ticket.triage["burst"] == 2  # this one included
