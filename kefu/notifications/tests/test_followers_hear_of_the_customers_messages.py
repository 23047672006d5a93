"""An agent who follows a ticket is told of the customer's new messages as its assignee is: a
notification in the centre (with the unread count, and the browser notification when they
chose it for that kind); unfollowing stops it; agents' own replies tell nobody."""

from __future__ import annotations

import pytest

from kefu.notifications.models import Kind, Notification
from kefu.testing import make_ticket, session_client
from kefu.tickets import actions
from kefu.tickets.models import Follow


def _desk(user):
    client = session_client(user)
    client.get("/desk/")
    return client


def _post(client, url: str, data: dict):
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def _told(user) -> int:
    return Notification.objects.filter(recipient=user, kind=Kind.CUSTOMER_REPLY).count()


@pytest.mark.django_db
def test_a_follower_and_the_assignee_hear_of_a_customer_message(personas):
    ticket = make_ticket(personas.anna)
    actions.update_ticket(ticket=ticket, actor=personas.viewer(personas.lena),
                          changes={"assignee": personas.alice.agent})  # fmt: skip
    lena = _desk(personas.lena)
    response = _post(lena, f"/desk/t/{ticket.number}/follow/", {"follow": "1"})
    assert response.status_code == 302 and Follow.objects.filter(user=personas.lena).exists()
    assert 'aria-pressed="true"' in lena.get(f"/desk/t/{ticket.number}/").content.decode()
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Any news?")
    assert (_told(personas.alice), _told(personas.lena)) == (1, 1)
    badge = lena.get("/notifications/badge/").content.decode()
    assert ">1<" in badge.replace(" ", "")
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.alice), body="Soon.")
    assert _told(personas.lena) == 1  # an agent's reply is no customer message

    _post(lena, f"/desk/t/{ticket.number}/follow/", {"follow": "0"})
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Hello?")
    assert (_told(personas.alice), _told(personas.lena)) == (2, 1)


@pytest.mark.django_db
def test_an_unassigned_followed_ticket_still_tells_its_follower(personas):
    ticket = make_ticket(personas.anna)
    actions.follow_ticket(ticket=ticket, actor=personas.viewer(personas.alice), following=True)
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Any news?")
    assert _told(personas.alice) == 1


@pytest.mark.django_db
def test_nobody_follows_a_ticket_they_may_not_see(personas):
    ticket = make_ticket(personas.anna, category="payment_billing")  # billing's
    alice = _desk(personas.alice)
    assert _post(alice, f"/desk/t/{ticket.number}/follow/", {"follow": "1"}).status_code == 404
    assert not Follow.objects.exists()
