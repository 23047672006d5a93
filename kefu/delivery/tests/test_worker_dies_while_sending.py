"""A worker killed between handing a mail to the SMTP server and marking it sent: the restarted
worker sends it once more, records that it may have gone out twice, and never a third time
(issue #12, must show 2)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller

from kefu.delivery.models import Delivery
from kefu.delivery.tests.test_email_smtp import CapturingHandler
from kefu.testing import assigned_ticket, free_port, server_env, within
from kefu.tickets import actions


class KillsTheSender(CapturingHandler):
    """Takes the message, then kills the worker before it can hear "250 OK"."""

    def __init__(self) -> None:
        super().__init__()
        self.victim = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        if self.victim:
            os.kill(self.victim, signal.SIGKILL)
            self.victim = 0
            return "451 4.3.0 the worker is gone anyway"
        return "250 2.0.0 OK"


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "kefu.cli", "worker", "--only", "deliveries", "--no-tasks"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mail_goes_out_at_most_twice_and_the_row_says_so(personas, tmp_path):
    handler = KillsTheSender()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = server_env(tmp_path, KEFU_SMTP_HOST="127.0.0.1", KEFU_SMTP_PORT=str(controller.port),
                     KEFU_DELIVERY_LEASE_SECONDS="2")  # fmt: skip
    ticket = assigned_ticket(personas)
    Delivery.objects.all().delete()  # only the mail this test is about
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    mail = Delivery.objects.get(ticket=ticket, to=[personas.anna.email])
    first = _worker(env)
    try:
        handler.victim = first.pid
        within(30, lambda: first.poll() is not None)  # killed mid-send
        mail.refresh_from_db()
        assert (mail.state, mail.attempts, len(handler.received)) == ("sending", 1, 1)
        second = _worker(env)
        try:
            within(30, lambda: Delivery.objects.filter(pk=mail.pk, state="sent").exists())
        finally:
            second.terminate()
            log = second.communicate(timeout=15)[1].decode()
    finally:
        controller.stop()
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, mail.lost_leases) == ("sent", 2, 1)
    assert len(handler.received) == 2  # at most twice
    assert f"delivery {mail.pk}: its worker died while sending" in log


@pytest.mark.django_db
def test_a_second_lost_lease_gives_up_instead_of_a_third_copy(personas):
    from datetime import timedelta

    from django.utils import timezone

    from kefu.delivery import outbox

    ticket = assigned_ticket(personas)
    Delivery.objects.all().delete()
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice), status="resolved")
    mail = Delivery.objects.get(to=[personas.anna.email])
    past = timezone.now() - timedelta(seconds=1)
    Delivery.objects.filter(pk=mail.pk).update(state="sending", next_attempt_at=past,
                                               attempts=2, lost_leases=1)  # fmt: skip
    assert outbox.send_due(timezone.now()) == 0
    mail.refresh_from_db()
    assert (mail.state, mail.lost_leases) == ("dead", 2)
    assert "not sent again" in mail.last_error
