"""Agents merge and split tickets by hand; both tickets record what happened."""

import pytest

from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Relation, Status, Ticket


def _post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


@pytest.mark.django_db
def test_merge_moves_the_conversation_and_closes_the_source(personas):
    target = make_ticket(personas.anna, subject="Order PO-1 late")
    source = make_ticket(personas.sam, subject="Same order, asked again")
    response = _post(
        api_client(personas.alice),
        f"/api/v1/tickets/{source.number}/merge",
        {"into": target.number, "confirm_differences": True},  # Sam and Anna, one organisation
    )
    assert response.status_code == 200 and response.json()["number"] == target.number
    source.refresh_from_db()
    assert (source.status, source.merged_into) == (Status.CLOSED, target)
    assert target.messages.count() == 2 and not source.messages.exists()
    assert source.events.get(kind="merged_into").new == target.number
    assert source.events.filter(kind="status", new=Status.CLOSED).exists()
    assert target.events.get(kind="merged").new == source.number


@pytest.mark.django_db
def test_mail_answering_a_merged_ticket_lands_on_its_successor(personas):
    target = make_ticket(personas.anna)
    source = make_ticket(personas.anna, subject="dup")
    actions.merge_tickets(source=source, target=target, actor=personas.viewer(personas.alice))
    reply = ingest(InboundMessage(channel="email", external_id="r@x", subject=f"Re: [{source.number}]",
                                  text="any news on PO-1?", sender_address="anna@acme.test",
                                  sender_proof="mail:dkim"))  # fmt: skip
    assert reply.ticket == target


@pytest.mark.django_db
def test_merging_other_customers_or_itself_is_refused(personas):
    alice = api_client(personas.alice)
    anna, otto = make_ticket(personas.anna), make_ticket(personas.otto)
    assert (
        _post(alice, f"/api/v1/tickets/{anna.number}/merge", {"into": anna.number}).status_code
        == 422
    )
    assert api_client(personas.ada).post(f"/api/v1/tickets/{anna.number}/merge", {"into": otto.number},
                                         content_type="application/json").status_code == 422  # fmt: skip
    assert not Ticket.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.django_db
def test_customers_and_qa_may_not_merge_or_split(personas):
    one, two = make_ticket(personas.anna), make_ticket(personas.anna)
    assert (
        _post(
            api_client(personas.anna), f"/api/v1/tickets/{one.number}/merge", {"into": two.number}
        ).status_code
        == 403
    )
    assert _post(api_client(personas.quinn), f"/api/v1/tickets/{one.number}/split",
                 {"messages": [one.messages.get().pk]}).status_code == 403  # fmt: skip


@pytest.mark.django_db
def test_split_moves_the_chosen_messages_into_a_related_ticket(personas):
    ticket = make_ticket(personas.anna, subject="Order PO-1 late")
    second = actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna),
                                 body="Also: please send the March invoice.")  # fmt: skip
    response = _post(api_client(personas.alice), f"/api/v1/tickets/{ticket.number}/split",
                     {"messages": [second.pk], "subject": "March invoice"})  # fmt: skip
    assert response.status_code == 201
    new = Ticket.objects.get(number=response.json()["number"])
    assert (new.subject, new.requester, new.related_to, new.relation) == (
        "March invoice",
        personas.anna,
        ticket,
        Relation.SPLIT,
    )
    assert list(new.messages.values_list("pk", flat=True)) == [second.pk]
    assert ticket.messages.count() == 1
    assert ticket.events.get(kind="split").new == new.number
    assert (
        new.events.get(kind="split_from").new == ticket.number
        and new.events.filter(kind="created").exists()
    )


@pytest.mark.django_db
def test_split_must_leave_a_message_and_take_only_this_tickets(personas):
    ticket, other = make_ticket(personas.anna), make_ticket(personas.anna)
    alice = api_client(personas.alice)
    only = ticket.messages.get().pk
    assert (
        _post(alice, f"/api/v1/tickets/{ticket.number}/split", {"messages": [only]}).status_code
        == 422
    )
    foreign = other.messages.get().pk
    assert (
        _post(alice, f"/api/v1/tickets/{ticket.number}/split", {"messages": [foreign]}).status_code
        == 422
    )


@pytest.mark.django_db
def test_the_desk_merges_and_splits(personas):
    target, source = make_ticket(personas.anna), make_ticket(personas.anna, subject="again")
    client = session_client(personas.alice)
    client.get(f"/desk/t/{source.number}/")
    token = client.cookies["csrftoken"].value
    page = client.post(
        f"/desk/t/{source.number}/merge/",
        {"into": target.number.lower(), "csrfmiddlewaretoken": token},
        follow=True,
    )
    assert (
        page.request["PATH_INFO"] == f"/desk/t/{target.number}/"
        and "Merged into" in page.content.decode()
    )
    [_first, second] = target.messages.order_by("pk")
    page = client.post(f"/desk/t/{target.number}/split/", {"messages": [second.pk], "subject": "Second question",
                                                           "csrfmiddlewaretoken": token}, follow=True)  # fmt: skip
    new = Ticket.objects.get(subject="Second question")
    assert (
        page.request["PATH_INFO"] == f"/desk/t/{new.number}/"
        and "split this ticket off" in page.content.decode()
    )
