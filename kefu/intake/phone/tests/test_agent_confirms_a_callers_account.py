"""An agent confirms an unverified caller's company name and account id on the desk: the call
and its ticket show who verified it and how; an unknown account is a clear form error, and a
call whose ticket the agent may not see is a 404."""

import pytest

from kefu.intake.phone import actions
from kefu.intake.phone.defaults import install_hotline
from kefu.intake.phone.models import Call, IvrOption, Verification
from kefu.tickets.models import Message


def _stranger_call() -> Call:
    line = install_hotline(code="merchant", kind="merchant", name="商家热线",
                           number="+864008001234", secret="s")  # fmt: skip
    call = actions.start_call(line=line, call_sid="CA" + "5" * 32, from_number="+8613700000000",
                              to_number=line.number)  # fmt: skip
    order = IvrOption.objects.get(menu=line.menu, key="2")  # an order question: Alice's team
    actions.note_choice(call=call, menu=line.menu, choice=order)
    actions.open_ticket_for_call(call=call)
    return call


@pytest.mark.django_db
def test_agent_marks_the_caller_verified_for_the_chosen_account(client, personas):
    call = _stranger_call()
    assert call.ticket is not None
    client.force_login(personas.alice)
    page = client.get(f"/desk/t/{call.ticket.number}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Mark caller verified" in page.content and b"Orbit Merchants (orbit)" in page.content

    refused = client.post(f"/desk/calls/{call.pk}/verify/", {"organization": "nobody"},
                          follow=True)  # fmt: skip
    assert "Choose the account" in refused.content.decode()
    call.refresh_from_db()
    assert call.verification == Verification.UNVERIFIED

    client.post(f"/desk/calls/{call.pk}/verify/", {"organization": "orbit"})
    call.refresh_from_db()
    assert call.verification == Verification.AGENT
    assert call.verified_by == personas.alice.agent and call.verified_at is not None
    assert call.organization == personas.orbit and call.caller == personas.otto
    ticket = call.ticket
    ticket.refresh_from_db()
    assert ticket.triage["phone"]["verification"] == "agent"
    assert ticket.triage["phone"]["verified_by"] == personas.alice.agent.code
    assert Message.objects.filter(ticket=ticket, is_internal=True, body__contains="orbit").exists()
    shown = client.get(f"/desk/t/{ticket.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Verified: confirmed by an agent" in shown and personas.alice.agent.code in shown


@pytest.mark.django_db
def test_a_customer_cannot_verify_calls(client, personas):
    call = _stranger_call()
    client.force_login(personas.otto)
    assert (
        client.post(f"/desk/calls/{call.pk}/verify/", {"organization": "orbit"}).status_code == 404
    )
    call.refresh_from_db()
    assert call.verification == Verification.UNVERIFIED
