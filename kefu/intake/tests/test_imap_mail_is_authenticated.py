"""Mail polled over IMAP is authenticated before it may join a ticket: a DKIM signature aligned
with its From (keys from the fake DNS on 127.0.0.1), or the Authentication-Results that the
operator's own mail server stamped with KEFU_MAIL_AUTHSERV_ID. Anything else opens a flagged,
unverified ticket (issue #17)."""

import pytest

from kefu.intake.tests.test_email_imap import dovecot, mail, mailbox_for, poll_now
from kefu.testing import dkim_signed, make_ticket
from kefu.tickets.models import Ticket

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["dovecot"]  # the fixture, used by name


def _results(authserv_id: str) -> str:
    return f"{authserv_id}; spf=pass smtp.mailfrom=anna@acme.test; dmarc=pass header.from=acme.test"


@TRANSACTIONAL
def test_only_authenticated_mail_joins_the_customers_ticket(personas, dovecot, mail_dns, settings):
    settings.KEFU_MAIL_AUTHSERV_ID = "mx.kefu.test"
    mail_dns.add_txt("_dmarc.acme.test", "v=DMARC1; p=quarantine")
    annas = make_ticket(personas.anna, subject="Batch 7 late")
    subject = f"Re: [{annas.number}] batch 7"
    dovecot.append(mail(1, subject, "Unsigned, claims to be Anna."))
    dovecot.append(dkim_signed(mail(2, subject, "Signed by acme.test."), "acme.test"))
    dovecot.append(
        mail(3, subject, "Checked by our MX.", Authentication_Results=_results("mx.kefu.test"))
    )
    dovecot.append(
        mail(4, subject, "Checked by someone.", Authentication_Results=_results("mx.evil.test"))
    )
    mailbox_for(dovecot)
    assert poll_now() == 4
    joined = set(annas.messages.values_list("body", flat=True))
    assert {"Signed by acme.test.", "Checked by our MX."} <= joined
    assert not joined & {"Unsigned, claims to be Anna.", "Checked by someone."}
    flagged = Ticket.objects.exclude(pk=annas.pk)
    assert flagged.count() == 2
    assert all(not t.is_verified and t.triage["identity"]["reason"] == "mail" for t in flagged)
    assert all("dmarc=fail (p=quarantine)" in t.triage["identity"]["note"] for t in flagged)
