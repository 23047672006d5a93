"""The contact form for people without an account: nothing reaches the queues until the visitor
follows the link mailed to them; then the message is a ticket, an agent's reply is mailed, and the
visitor's mail reply threads into the same ticket. A filled honeypot keeps nothing; unverified
submissions expire after 7 days; rapid submissions are refused past the limit."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kefu.accounts.access import viewer_for
from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake.email.inbound import deliver
from kefu.intake.models import Outcome
from kefu.testing import publish_mail_domain, sample_file
from kefu.tickets import actions, queries
from kefu.tickets.models import Ticket
from kefu.visitors.contact import expire_due
from kefu.visitors.models import ContactRequest

VISITOR = "li.wei@visitor.test"


def _form(**extra: object) -> dict[str, object]:
    return {"name": "李伟", "company": "Visitor Trading", "email": VISITOR, "phone": "+86 21 5555",
            "category": "order_trade", "order_id": "PO-9001",
            "description": "My container PO-9001 is stuck at Ningbo port.\nPlease check.", **extra}  # fmt: skip


def _verify_link(mail: Delivery) -> str:
    found = re.search(r"https?://\S+(/contact/v/\S+/)", mail.text)
    assert found, mail.text
    return found.group(1)


def _queue(personas) -> list[str]:
    tickets = queries.list_tickets(personas.viewer(personas.ada), queries.TicketFilters())
    return list(tickets.values_list("number", flat=True))


@pytest.mark.django_db
def test_the_ticket_enters_the_queue_only_after_the_mailed_link_and_continues_by_mail(
    personas, mail_dns
):
    publish_mail_domain(mail_dns, "visitor.test")
    photo = SimpleUploadedFile("port.png", sample_file("png"), content_type="image/png")
    sent = Client().post("/contact/", _form(files=photo))
    assert sent.status_code == 200 and VISITOR in sent.content.decode()
    before = set(_queue(personas))
    [pending] = ContactRequest.objects.all()
    assert pending.state == ContactRequest.State.PENDING and pending.ticket is None
    assert not Ticket.objects.filter(requester__email=VISITOR).exists()

    [mail] = Delivery.objects.filter(to=[VISITOR])
    link = _verify_link(mail)
    assert Client().get(link).status_code == 200  # a scanner fetching the link acts on nothing
    assert not Ticket.objects.filter(requester__email=VISITOR).exists()
    confirmed = Client().post(link)
    ticket = Ticket.objects.get(requester__email=VISITOR)
    assert ticket.number in confirmed.content.decode()
    assert set(_queue(personas)) - before == {ticket.number}
    assert ticket.order_id == "PO-9001" and ticket.category.code == "order_trade"
    assert "Visitor Trading" in ticket.messages.get().body
    assert ticket.attachments.count() == 1
    assert Client().post(link).status_code == 200  # a second click shows the same ticket
    assert Ticket.objects.filter(requester__email=VISITOR).count() == 1

    reply = actions.add_message(ticket=ticket, actor=viewer_for(personas.alice),
                                body="The container clears customs tomorrow.")  # fmt: skip
    mailed = Delivery.objects.get(ticket_message=reply)
    assert mailed.to == [VISITOR] and ticket.number in mailed.subject

    answer = customer_mail(VISITOR, "Re: your ticket", "Thank you, noted.", "r1@visitor.test",
                           In_Reply_To=f"<{mailed.key}>")  # fmt: skip
    result = deliver(answer)
    assert (result.outcome, result.ticket) == (Outcome.MESSAGE, ticket)
    assert Ticket.objects.filter(requester__email=VISITOR).count() == 1


@pytest.mark.django_db
def test_a_filled_honeypot_keeps_nothing_but_looks_sent(personas):
    page = Client().post("/contact/", _form(website="http://spam.example"))
    assert page.status_code == 200 and VISITOR in page.content.decode()
    assert not ContactRequest.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_unverified_submissions_expire_after_seven_days(personas):
    Client().post("/contact/", _form())
    link = _verify_link(Delivery.objects.get())
    assert expire_due(timezone.now() + timedelta(days=6)) == 0
    assert expire_due(timezone.now() + timedelta(days=7, seconds=1)) == 1
    assert ContactRequest.objects.get().state == ContactRequest.State.EXPIRED
    assert Client().post(link).status_code == 404
    assert not Ticket.objects.filter(requester__email=VISITOR).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "zh-CN"}])
def test_bad_input_names_the_field_in_the_callers_language(personas, headers):
    page = Client(headers=headers).post("/contact/", _form(email="not-an-address"))
    assert page.status_code == 422
    expected = "请输入有效的邮箱地址" if headers else "Enter a valid email address"
    assert expected in page.content.decode()
    assert not ContactRequest.objects.exists()


@pytest.mark.django_db
def test_twenty_rapid_submissions_from_one_address_are_refused_past_the_limit(personas):
    client = Client(headers={"Accept-Language": "zh-CN"})
    codes = [client.post("/contact/", _form(email=f"v{n}@visitor.test")).status_code
             for n in range(20)]  # fmt: skip
    assert codes[:10] == [200] * 10 and set(codes[10:]) == {429}
    refused = client.post("/contact/", _form(email="late@visitor.test"))
    assert "请求过于频繁" in refused.content.decode() or "稍后" in refused.content.decode()
    assert ContactRequest.objects.count() == 10
