"""``kefu smtpd`` authenticates each sender (SPF, DKIM, DMARC, asked of a fake DNS server on
127.0.0.1): a forged ``From:`` of a customer opens a new unverified ticket flagged to the agents
instead of joining the customer's; the customer's own authenticated mail still threads
(security review, issue #17)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from kefu.accounts.access import viewer_for
from kefu.intake.email import smtpd
from kefu.intake.models import Mailbox
from kefu.testing import dkim_signed, free_port, make_ticket
from kefu.tickets.models import Ticket
from kefu.tickets.queries import visible_tickets

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ACME_SERVERS_ONLY = "v=spf1 ip4:192.0.2.10 -all"
ACME_VIA_LOCALHOST = "v=spf1 ip4:127.0.0.1 -all"
REJECT = "v=DMARC1; p=reject; adkim=s; aspf=r"


@pytest.fixture
def listener(personas, mail_dns):
    Mailbox.objects.create(code="service", address="service@kefu.example.com")
    ports = []

    def start() -> int:
        ports.append(free_port())
        controllers.append(smtpd.start_listener("127.0.0.1", ports[-1]))
        return ports[-1]

    controllers: list = []
    yield start
    for controller in controllers:
        controller.stop()


def _mail(subject: str, body: str, *headers: tuple[str, str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Anna <anna@acme.test>"
    message["To"] = "service@kefu.example.com"
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash((subject, body, headers)))}@acme.test>"
    for name, value in headers:
        message[name] = value
    message.set_content(body)
    return message


def _send(port: int, raw: bytes, login: tuple[str, str] | None = None) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        if login:
            client.login(*login)
        client.sendmail("anna@acme.test", ["service@kefu.example.com"], raw)


def _annas(personas) -> Ticket:
    return make_ticket(personas.anna, subject="Payment for PO-1")


def _latest() -> Ticket:
    return Ticket.objects.order_by("-pk").first()


@TRANSACTIONAL
def test_a_forged_from_opens_an_unverified_ticket_flagged_with_the_reason(
    listener, personas, mail_dns
):
    mail_dns.add_txt("acme.test", ACME_SERVERS_ONLY)
    mail_dns.add_txt("_dmarc.acme.test", REJECT)
    annas = _annas(personas)
    _send(
        listener(),
        _mail(f"Re: [{annas.number}] new bank account", "Pay PO-1 to IBAN X.").as_bytes(),
    )
    forged = _latest()
    assert forged != annas and annas.messages.count() == 1
    assert not forged.is_verified and forged.organization is None
    doubt = forged.triage["identity"]
    assert (doubt["proven"], doubt["reason"], doubt["claimed"]) == (False, "mail", "anna@acme.test")
    assert "spf=fail" in doubt["note"] and "dmarc=fail (p=reject)" in doubt["note"]
    assert not visible_tickets(viewer_for(personas.anna)).filter(pk=forged.pk).exists()


@TRANSACTIONAL
def test_authenticated_mail_from_the_customer_still_threads_into_their_ticket(
    listener, personas, mail_dns
):
    mail_dns.add_txt("acme.test", ACME_VIA_LOCALHOST)
    mail_dns.add_txt("_dmarc.acme.test", REJECT)
    annas = _annas(personas)
    raw = dkim_signed(_mail(f"Re: [{annas.number}]", "PO-1 paid today.").as_bytes(), "acme.test")
    _send(listener(), raw)
    assert _latest() == annas
    assert annas.messages.filter(body="PO-1 paid today.", author=personas.anna).exists()


@TRANSACTIONAL
def test_dkim_alone_proves_the_sender_when_spf_fails(listener, personas, mail_dns):
    mail_dns.add_txt("acme.test", ACME_SERVERS_ONLY)
    mail_dns.add_txt("_dmarc.acme.test", REJECT)
    annas = _annas(personas)
    raw = dkim_signed(
        _mail(f"Re: [{annas.number}]", "Forwarded by our gateway.").as_bytes(), "acme.test"
    )
    _send(listener(), raw)
    assert _latest() == annas


@TRANSACTIONAL
def test_a_signature_of_another_domain_proves_nothing(listener, personas, mail_dns):
    mail_dns.add_txt("_dmarc.acme.test", "v=DMARC1; p=none")
    annas = _annas(personas)
    raw = dkim_signed(_mail(f"Re: [{annas.number}]", "Signed by Orbit.").as_bytes(), "orbit.test")
    _send(listener(), raw)
    forged = _latest()
    assert forged != annas and "dkim=pass" in forged.triage["identity"]["note"]
    assert "dmarc=fail (p=none)" in forged.triage["identity"]["note"]


RELAYED = ("Authentication-Results", "mx.kefu.test; spf=pass smtp.mailfrom=anna@acme.test; "
           "dkim=pass header.d=acme.test; dmarc=pass header.from=acme.test")  # fmt: skip


@TRANSACTIONAL
def test_authentication_results_are_believed_only_from_a_trusted_relay(
    listener, personas, settings
):
    settings.KEFU_MAIL_AUTHSERV_ID = "mx.kefu.test"
    annas = _annas(personas)
    port = listener()
    _send(port, _mail(f"Re: [{annas.number}]", "I wrote my own results.", RELAYED).as_bytes())
    assert _latest() != annas, "anyone can write the header: not believed from a stranger"
    settings.KEFU_MAIL_TRUSTED_RELAYS = ["127.0.0.0/8"]
    _send(port, _mail(f"Re: [{annas.number}]", "Checked by our gateway.", RELAYED).as_bytes())
    assert annas.messages.filter(body="Checked by our gateway.").exists()


@TRANSACTIONAL
def test_smtp_auth_can_be_required_and_signs_in_a_relay(listener, personas, settings):
    settings.KEFU_SMTPD_USERS = {"gateway": "s3cret-relay"}
    settings.KEFU_SMTPD_REQUIRE_AUTH = True
    settings.KEFU_MAIL_AUTHSERV_ID = "mx.kefu.test"
    annas = _annas(personas)
    port = listener()
    raw = _mail(f"Re: [{annas.number}]", "Relayed with a login.", RELAYED).as_bytes()
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        _send(port, raw)
    assert refused.value.smtp_code == 530
    with pytest.raises(smtplib.SMTPAuthenticationError):
        _send(port, raw, login=("gateway", "wrong"))
    _send(port, raw, login=("gateway", "s3cret-relay"))
    assert _latest() == annas and annas.messages.count() == 2


@TRANSACTIONAL
def test_clients_outside_the_allowed_networks_are_refused(listener, personas, settings):
    settings.KEFU_SMTPD_ALLOWED_NETWORKS = ["192.0.2.0/24"]
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        _send(listener(), _mail("Hello", "From the wrong network.").as_bytes())
    assert refused.value.smtp_code == 554
    assert not Ticket.objects.exists()
