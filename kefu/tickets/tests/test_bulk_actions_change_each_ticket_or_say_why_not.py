"""Bulk actions on the queue's selected rows: assign, status, tags and a macro, each ticket
through the normal actions in its own unit of work; a row that changed since the queue was
shown (or refuses the change) is skipped and named with the reason, the others go through."""

from __future__ import annotations

import re

import pytest

from kefu.macros.models import Macro, Scope
from kefu.testing import make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import EventKind, Status

ROW_VERSION = re.compile(r'name="version-(KF\d+)" value="([^"]+)"')


def _queue(user):
    client = session_client(user)
    html = client.get("/desk/").content.decode()
    return client, dict(ROW_VERSION.findall(html))


def _bulk(client, versions: dict[str, str], numbers: list[str], **choices: str):
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "numbers": numbers,
            "back": "/desk/?priority=", **choices}  # fmt: skip
    data.update({f"version-{n}": v for n, v in versions.items()})
    return client.post("/desk/bulk/", data, follow=True)


@pytest.mark.django_db
def test_assign_status_and_tags_change_each_selected_ticket(personas):
    one, two, three = (make_ticket(personas.anna) for _ in range(3))
    client, versions = _queue(personas.alice)
    assert set(versions) == {one.number, two.number, three.number}
    page = _bulk(client, versions, [one.number, two.number], bulk_assignee="me",
                 bulk_status=Status.ON_HOLD, bulk_tags="vip, 发票")  # fmt: skip
    for ticket in (one, two):
        ticket.refresh_from_db()
        assert (ticket.assignee, ticket.status) == (personas.alice.agent, Status.ON_HOLD)
        assert ticket.tags == ["vip", "发票"]
        assert ticket.events.filter(kind=EventKind.ASSIGNEE).count() == 1
    three.refresh_from_db()
    assert three.assignee is None and three.tags == []
    assert "Changed 2 tickets." in page.content.decode()


@pytest.mark.django_db
def test_a_row_that_changed_meanwhile_is_skipped_and_named(personas):
    one, two = make_ticket(personas.anna), make_ticket(personas.anna)
    client, versions = _queue(personas.alice)
    actions.add_message(ticket=two, actor=personas.viewer(personas.anna), body="More news")
    page = _bulk(client, versions, [one.number, two.number], bulk_status=Status.ON_HOLD)
    one.refresh_from_db(), two.refresh_from_db()
    assert (one.status, two.status) == (Status.ON_HOLD, Status.NEW)
    text = page.content.decode()
    assert "Changed 1 tickets." in text or "Changed 1 ticket" in text
    assert f"Skipped {two.number}: it changed since the queue was shown" in text


@pytest.mark.django_db
def test_a_refused_change_skips_that_row_only(personas):
    one, two = make_ticket(personas.anna), make_ticket(personas.anna)
    client, versions = _queue(personas.alice)
    for status in (Status.RESOLVED, Status.CLOSED):
        actions.change_status(ticket=two, actor=personas.viewer(personas.alice), status=status)
    versions[two.number] = ""  # no version sent: the lifecycle rule itself refuses
    page = _bulk(client, versions, [one.number, two.number], bulk_status=Status.ON_HOLD)
    one.refresh_from_db()
    assert one.status == Status.ON_HOLD
    assert f"Skipped {two.number}:" in page.content.decode()


@pytest.mark.django_db
def test_a_macro_applies_its_reply_and_actions_to_each_ticket(personas):
    macro = Macro.objects.create(title_en="Need photos", title_zh="需要照片", scope=Scope.GLOBAL,
                                 text_en="Please send photos of {{ticket.number}}.",
                                 text_zh="请发送 {{ticket.number}} 的照片。",
                                 set_status=Status.PENDING_CUSTOMER, add_tags=["photos"])  # fmt: skip
    english = make_ticket(personas.anna)
    chinese = make_ticket(personas.otto, category="order_trade")
    client, versions = _queue(personas.ada)
    _bulk(client, versions, [english.number, chinese.number], bulk_macro=str(macro.pk))
    for ticket, text in ((english, f"Please send photos of {english.number}."),
                         (chinese, f"请发送 {chinese.number} 的照片。")):  # fmt: skip
        ticket.refresh_from_db()
        assert ticket.status == Status.PENDING_CUSTOMER and ticket.tags == ["photos"]
        assert ticket.messages.filter(body=text, is_internal=False).exists()
    macro.refresh_from_db()
    assert macro.usage_count == 2


@pytest.mark.django_db
def test_nothing_chosen_or_nothing_selected_changes_nothing(personas):
    one = make_ticket(personas.anna)
    client, versions = _queue(personas.alice)
    assert "Choose what to change" in _bulk(client, versions, [one.number]).content.decode()
    empty = _bulk(client, versions, [], bulk_status=Status.ON_HOLD).content.decode()
    assert "Select the tickets to change first." in empty
    one.refresh_from_db()
    assert one.status == Status.NEW


@pytest.mark.django_db
def test_another_teams_ticket_is_skipped_as_not_found(personas):
    billing = make_ticket(personas.anna, category="payment_billing")
    client, versions = _queue(personas.alice)
    page = _bulk(client, versions, [billing.number], bulk_assignee="me")
    billing.refresh_from_db()
    assert billing.assignee is None and f"Skipped {billing.number}" in page.content.decode()
