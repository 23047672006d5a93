"""A reply with a macro: the text, the macro's changes (status, priority, tags), its internal
note and the macro's usage count are written together by one submit — or not at all."""

import pytest

from kefu.macros.models import Macro, Scope
from kefu.testing import assigned_ticket, session_client
from kefu.tickets.models import EventKind, Status


def _post(client, url: str, data: dict):
    client.get(url)
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def _macro(**fields) -> Macro:
    options = {
        "title_en": "Ask for evidence",
        "title_zh": "索取凭证",
        "text_en": "Hello {{customer.name}}, please send a photo for {{ticket.number}} "
        "(order {{ticket.order_id}}).",
        "text_zh": "{{customer.name}}您好，请提供工单 {{ticket.number}} 的照片。",
        "scope": Scope.GLOBAL,
        "set_status": Status.PENDING_CUSTOMER,
        "set_priority": "high",
        "add_tags": ["awaiting-evidence"],
        "note": "Asked {{customer.name}} for a photo.",
    }
    options.update(fields)
    macro = Macro(**options)
    macro.full_clean()
    macro.save()
    return macro


@pytest.mark.django_db
def test_one_submit_sends_the_reply_and_makes_the_macros_changes(personas):
    ticket = assigned_ticket(personas, order_id="PO-77", tags=["vip"])
    macro = _macro()
    client = session_client(personas.alice)
    url = f"/desk/t/{ticket.number}/"
    rendered = client.get(f"/desk/macros/{macro.pk}/render/?ticket={ticket.number}").json()
    assert rendered["language"] == "en"  # Anna writes English
    assert rendered["text"] == (
        f"Hello Anna, please send a photo for {ticket.number} (order PO-77)."
    )
    assert "Status → Pending customer" in rendered["actions"]
    response = _post(client, url, {"body": rendered["text"], "macro": macro.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING_CUSTOMER
    assert ticket.priority == "high"
    assert ticket.tags == ["awaiting-evidence", "vip"]
    reply, note = ticket.messages.order_by("pk")[1:]
    assert (reply.body, reply.is_internal) == (rendered["text"], False)
    assert (note.body, note.is_internal) == ("Asked Anna for a photo.", True)
    macro.refresh_from_db()
    assert macro.usage_count == 1 and macro.last_used_at is not None


@pytest.mark.django_db
def test_submit_and_set_status_overrides_the_macros_status(personas):
    ticket = assigned_ticket(personas)
    macro = _macro()
    client = session_client(personas.alice)
    _post(client, f"/desk/t/{ticket.number}/",
          {"body": "Done.", "macro": macro.pk, "then_status": "resolved"})  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert "awaiting-evidence" in ticket.tags


@pytest.mark.django_db
def test_a_refused_reply_leaves_the_ticket_and_the_count_untouched(personas):
    ticket = assigned_ticket(personas)
    macro = _macro()
    events_before = ticket.events.count()
    client = session_client(personas.alice)
    # Support never asks for passwords: the reply is refused, so nothing of the macro happens.
    response = _post(client, f"/desk/t/{ticket.number}/",
                     {"body": "Please tell us your password.", "macro": macro.pk})  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please tell us your password." in page  # what was typed is kept
    assert f'name="macro" value="{macro.pk}"' in page  # and so is the chosen macro
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.tags) == (Status.NEW, "normal", [])
    assert ticket.messages.count() == 1
    assert ticket.events.count() == events_before
    macro.refresh_from_db()
    assert macro.usage_count == 0


@pytest.mark.django_db
def test_an_impossible_status_in_a_macro_rolls_the_reply_back(personas):
    ticket = assigned_ticket(personas)
    macro = _macro(set_status=Status.CLOSED)  # open → closed is not a transition
    client = session_client(personas.alice)
    response = _post(client, f"/desk/t/{ticket.number}/", {"body": "Bye.", "macro": macro.pk})
    assert "cannot go from" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.messages.count() == 1
    assert not ticket.events.filter(kind=EventKind.TAGS).exists()
