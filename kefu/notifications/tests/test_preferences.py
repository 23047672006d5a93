"""What each person is told is theirs to choose, per kind, in Kefu and by email; choices equal
to the defaults keep the defaults (so an escalation path may still ask for mail)."""

import pytest

from kefu.notifications.actions import notify
from kefu.notifications.models import Notification, Preference
from kefu.testing import api_client, make_ticket


@pytest.mark.django_db
def test_a_customer_turns_off_the_mail_about_resolutions(personas):
    client = api_client(personas.anna)
    before = client.get("/api/v1/notifications/preferences").json()
    assert before["resolved"] == {"in_app": True, "email": True, "browser": False}
    assert "sla_breach" not in before  # staff kinds are not theirs
    after = client.put("/api/v1/notifications/preferences",
                       {"resolved": {"in_app": True, "email": False}},
                       content_type="application/json").json()  # fmt: skip
    assert after["resolved"] == {"in_app": True, "email": False, "browser": False}
    refused = client.put("/api/v1/notifications/preferences",
                         {"sla_breach": {"in_app": False, "email": False}},
                         content_type="application/json")  # fmt: skip
    assert refused.status_code == 422


@pytest.mark.django_db
def test_saving_the_defaults_keeps_no_row_and_the_escalation_mail(personas):
    client = api_client(personas.alice)
    defaults = client.get("/api/v1/notifications/preferences").json()
    client.put("/api/v1/notifications/preferences", defaults, content_type="application/json")
    assert not Preference.objects.filter(user=personas.alice).exists()
    ticket = make_ticket(personas.anna)
    told = notify([personas.alice.agent], "escalated", ticket=ticket,
                  params={"number": ticket.number, "subject": ticket.subject}, email=True)  # fmt: skip
    assert told == [personas.alice]
    assert personas.alice.email in str(ticket.deliveries.values_list("to", flat=True))


@pytest.mark.django_db
def test_turning_off_in_app_stops_the_rows(personas):
    Preference.objects.create(user=personas.alice, kind="assigned", in_app=False, email=False)
    ticket = make_ticket(personas.anna)
    assert notify([personas.alice], "assigned", ticket=ticket, params={"number": "x"}) == []
    assert not Notification.objects.filter(recipient=personas.alice).exists()


@pytest.mark.django_db
def test_the_on_duty_page_is_always_mailed(personas):
    Preference.objects.create(user=personas.lena, kind="page", in_app=True, email=False)
    ticket = make_ticket(personas.anna)
    notify([personas.lena], "page", ticket=ticket, params={"number": ticket.number, "subject": "s"})
    assert ticket.deliveries.filter(to=[personas.lena.email]).exists()
