"""The charter's high-priority classes (account wrongly flagged, traffic collapse during a
promotion, batch label printing failure) reach an expert within 2 hours though their priority is
high: the triage rule tags them, and the shipped policies select the 2-hour target by that tag."""

import pytest

from kefu.sla.models import SlaClock
from kefu.testing import api_client, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Ticket

CLASSES = [
    ("ACCOUNT-WRONGLY-FLAGGED", "account_access", "expert-account-flagged",
     "Store suspended", "Our store was wrongly flagged and suspended yesterday."),
    ("PROMO-TRAFFIC-DROP", "product_merchant", "expert-traffic-drop",
     "Traffic gone", "Our store traffic collapsed during the Double 11 promotion this morning."),
    ("LABEL-PRINT-BATCH", "shipment_logistics", "expert-label-printing",
     "Labels", "Batch label printing failed with error AE-ERR-403, console log attached."),
    ("ACCOUNT-WRONGLY-FLAGGED", "account_access", "expert-account-flagged",
     "账号被误封", "我们的店铺账号被风控误判封禁了，请尽快处理。"),
]  # fmt: skip


def first_response(ticket: Ticket) -> SlaClock:
    return SlaClock.objects.select_related("policy").get(ticket=ticket, metric="first_response")


@pytest.mark.django_db
@pytest.mark.parametrize(("rule", "category", "policy", "subject", "body"), CLASSES)
def test_each_class_gets_the_two_hour_expert_target_at_priority_high(
    personas, rule, category, policy, subject, body
):
    response = api_client(personas.anna).post(
        "/api/v1/tickets", {"subject": subject, "body": body}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.select_related("category").get(number=response.json()["number"])
    assert ticket.triage["rules"] == [rule] and ticket.category.code == category
    assert ticket.priority == "high"
    clock = first_response(ticket)
    assert (clock.target, clock.policy.code, clock.calendars) == ("2h", policy, "cn-standard")


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["web", "email", "api", "wechat"])
def test_the_two_hours_beat_the_channels_working_day(personas, channel):
    ticket = make_ticket(personas.anna, channel=channel, priority="high", tags=["traffic-drop"])
    assert first_response(ticket).target == "2h"


@pytest.mark.django_db
@pytest.mark.parametrize(("channel", "target"), [("chat", "3m"), ("phone", "1m")])
def test_chat_and_phone_keep_their_minutes(personas, channel, target):
    ticket = make_ticket(personas.anna, channel=channel, priority="high", tags=["account-flagged"])
    assert first_response(ticket).target == target


@pytest.mark.django_db
def test_an_agent_who_recognises_the_class_selects_it_by_tagging(personas):
    ticket = make_ticket(personas.anna, category="shipment_logistics", priority="high")
    assert first_response(ticket).target == "1d"
    actions.update_ticket(
        ticket=ticket, actor=personas.viewer(personas.lena), changes={"tags": ["label-printing"]}
    )
    assert first_response(ticket).target == "2h"


@pytest.mark.django_db
def test_a_customers_own_label_does_not_select_it(personas):
    ticket = make_ticket(personas.anna, priority="high", customer_tags=["account-flagged"])
    assert first_response(ticket).target == "1d"
