import pytest

from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.intake.models import Outcome
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Relation, Status, Ticket


def _mail(n: int, subject: str, sender: str = "anna@acme.test", **kw) -> InboundMessage:
    """Authenticated mail (its From passed DKIM aligned); claimed senders: test_claimed_*."""
    kw.setdefault("sender_proof", "mail:dkim")
    return InboundMessage(channel="email", external_id=f"m{n}@x", text=f"message {n}",
                          subject=subject, sender_address=sender, **kw)  # fmt: skip


@pytest.mark.parametrize(
    "subject", ["Re: [{n}] late", "回复：【{n}】物流", "About {n} again", "RE: FW: [{n}]"]
)
@pytest.mark.django_db
def test_ticket_number_in_the_subject_threads(personas, subject):
    ticket = make_ticket(personas.anna)
    result = ingest(_mail(1, subject.format(n=ticket.number)))
    assert (result.outcome, result.ticket) == (Outcome.MESSAGE, ticket)
    assert ticket.messages.count() == 2


@pytest.mark.django_db
def test_a_colleague_of_the_same_organisation_may_continue_it(personas):
    ticket = make_ticket(personas.sam, category="order_trade")
    assert ingest(_mail(1, f"Re: [{ticket.number}]", "anna@acme.test")).ticket == ticket


@pytest.mark.django_db
def test_a_stranger_quoting_a_number_gets_a_new_ticket(personas):
    ticket = make_ticket(personas.anna)
    result = ingest(_mail(1, f"Re: [{ticket.number}]", "otto@orbit.test"))
    assert result.outcome == Outcome.TICKET and result.ticket != ticket
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_references_to_a_message_of_the_thread_thread(personas):
    first = ingest(_mail(1, "Order PO-1 is late"))
    reply = ingest(_mail(2, "Re: Order PO-1 is late", references=["m1@x"]))
    assert reply.ticket == first.ticket


@pytest.mark.django_db
def test_a_reply_reopens_a_resolved_ticket(personas):
    ticket = make_ticket(personas.anna)
    actions.change_status(
        ticket=ticket, actor=personas.viewer(personas.alice), status=Status.RESOLVED
    )
    ingest(_mail(1, f"Re: [{ticket.number}] still broken"))
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.events.filter(kind="reopened").exists()


@pytest.mark.django_db
def test_a_reply_to_a_closed_ticket_opens_a_linked_follow_up(personas):
    ticket = make_ticket(personas.anna)
    alice = personas.viewer(personas.alice)
    actions.change_status(ticket=ticket, actor=alice, status=Status.RESOLVED)
    actions.change_status(ticket=ticket, actor=alice, status=Status.CLOSED)
    result = ingest(_mail(1, f"Re: [{ticket.number}] one more thing"))
    assert result.outcome == Outcome.TICKET
    follow_up = result.ticket
    assert (follow_up.related_to, follow_up.relation) == (ticket, Relation.FOLLOW_UP)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED


@pytest.mark.django_db
def test_unknown_senders_become_unverified_contacts(personas):
    result = ingest(_mail(1, "Hello", "new.person@somewhere.test", sender_name="New Person"))
    ticket = result.ticket
    assert not ticket.is_verified and ticket.organization is None
    assert ticket.requester.email == "new.person@somewhere.test"
    assert not ticket.requester.has_usable_password()


@pytest.mark.django_db
def test_known_company_domain_sets_the_organisation_but_stays_unverified(personas):
    personas.orbit.email_domains = ["orbit.test"]
    personas.orbit.save()
    ticket = ingest(_mail(1, "Hello", "buyer2@orbit.test")).ticket
    assert ticket.organization == personas.orbit and not ticket.is_verified
