"""IMAP polling in ``kefu worker`` against a real Dovecot started by the test on a loopback port."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from kefu.intake.email import imap
from kefu.intake.email.inbound import deliver
from kefu.intake.models import InboundRecord, Mailbox, Outcome, Quarantine
from kefu.intake.tests.test_email_smtpd import free_port
from kefu.jobs import worker
from kefu.tickets.models import Ticket

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DOVECOT = shutil.which("dovecot") or next(
    (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
)
pytestmark = pytest.mark.skipif(
    DOVECOT is None, reason="the dovecot binary is missing (apt-get install dovecot-imapd)"
)
PASSWORD = "imap-secret-1"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class Dovecot:
    port: int
    log: Path

    def client(self, user: str = "service") -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, raw: bytes, folder: str = "INBOX", user: str = "service") -> None:
        with self.client(user) as client:
            client.append(folder, None, None, raw)

    def flags(self, folder: str = "INBOX", user: str = "service") -> dict[int, str]:
        with self.client(user) as client:
            client.select(imap._folder(folder))
            _, data = client.uid("FETCH", "1:*", "(FLAGS)")
        found = {}
        for line in data:
            if line:
                text = line.decode()
                uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                found[uid] = text.split("FLAGS (")[1].split(")")[0]
        return found

    def logins(self, user: str = "service") -> int:
        return self.log.read_text().count(f"Login: user=<{user}>")


def _identities() -> dict[str, object]:
    """Root runs Dovecot's helpers as its packaged users and mail as nobody; others as themselves."""
    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return {"internal": me, "login": me, "uid": os.getuid(), "gid": os.getgid()}
    internal = "dovecot" if _user_exists("dovecot") else "nobody"
    login = "dovenull" if _user_exists("dovenull") else "nobody"
    nobody = pwd.getpwnam("nobody")
    return {"internal": internal, "login": login, "uid": nobody.pw_uid, "gid": nobody.pw_gid}


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture
def dovecot():
    root = Path(tempfile.mkdtemp(prefix="kefu-dovecot-"))
    root.chmod(0o755)  # Dovecot's unprivileged helpers must reach their sockets
    (root / "mail").mkdir()
    ids = _identities()
    os.chown(root / "mail", int(ids["uid"]), int(ids["gid"]))
    users = "".join(f"{name}:{{PLAIN}}{PASSWORD}\n" for name in ("service", "complaint"))
    (root / "users").write_text(users)
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, **ids))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
    try:
        _wait_for(port, process, root / "dovecot.log")
        yield Dovecot(port=port, log=root / "dovecot.log")
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(100):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    details = log.read_text() if log.exists() else ""
    raise RuntimeError(f"dovecot did not start: {details}")


def mailbox_for(server: Dovecot, **fields) -> Mailbox:
    options = {
        "code": "service",
        "address": "service@kefu.example.com",
        "imap_host": "127.0.0.1",
        "imap_port": server.port,
        "imap_ssl": False,
        "imap_user": "service",
        "imap_password": PASSWORD,
        "poll_seconds": 30,
    }
    options.update(fields)
    return Mailbox.objects.create(**options)


def mail(n: int, subject: str = "", body: str = "", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "安娜 <anna@acme.test>")
    message["To"] = "service@kefu.example.com"
    message["Subject"] = subject or f"【物流】- Acme - 第 {n} 批货延迟"
    message["Message-ID"] = f"<imap-{n}@acme.test>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body or f"第 {n} 批货还没有到，订单 PO-{n}。")
    return message.as_bytes()


def poll_now() -> int:
    """What the worker does: run the registered sweeper once, after making mailboxes due."""
    Mailbox.objects.update(next_poll_at=timezone.now() - timedelta(seconds=1))
    return worker.run_once(["imap-poll"])["imap-poll"]


@TRANSACTIONAL
def test_new_mail_becomes_tickets_is_flagged_seen_and_is_read_once(personas, dovecot):
    for n in (1, 2):
        dovecot.append(mail(n))
    dovecot.append(mail(3, "Automatic reply: away", "I am out", Auto_Submitted="auto-replied"))
    mailbox = mailbox_for(dovecot)
    assert poll_now() == 3
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "【物流】- Acme - 第 1 批货延迟",
        "【物流】- Acme - 第 2 批货延迟",
    ]
    assert InboundRecord.objects.get(external_id="imap-3@acme.test").outcome == Outcome.AUTO_REPLY
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 3 and mailbox.uid_validity is not None
    assert mailbox.last_error == "" and mailbox.last_polled_at is not None
    assert all("\\Seen" in flags for flags in dovecot.flags().values())
    # Nothing new: the next poll delivers nothing and creates nothing.
    assert poll_now() == 0
    assert Ticket.objects.count() == 2 and InboundRecord.objects.count() == 3
    dovecot.append(mail(4))
    assert poll_now() == 1
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 4 and Ticket.objects.count() == 3


@TRANSACTIONAL
def test_processed_mail_is_moved_to_the_done_folder_created_if_need_be(personas, dovecot):
    for n in (1, 2):
        dovecot.append(mail(n))
    mailbox_for(dovecot, imap_done_folder="已处理")
    assert poll_now() == 2
    assert dovecot.flags("INBOX") == {}
    assert len(dovecot.flags("已处理")) == 2
    assert Ticket.objects.count() == 2


@TRANSACTIONAL
def test_mail_seen_by_the_webhook_first_is_a_duplicate_over_imap(personas, dovecot):
    first = deliver(mail(1))
    dovecot.append(mail(1))
    mailbox_for(dovecot)
    assert poll_now() == 1
    assert Ticket.objects.get() == first.ticket
    assert InboundRecord.objects.count() == 1


def poll_and_delay(mailbox: Mailbox) -> float:
    before = timezone.now()
    assert poll_now() == 0  # a failure is recorded, never raised
    mailbox.refresh_from_db()
    return (mailbox.next_poll_at - before).total_seconds()


@TRANSACTIONAL
def test_a_wrong_password_is_recorded_and_a_fix_resets_it(personas, dovecot):
    dovecot.append(mail(1))
    mailbox = mailbox_for(dovecot, imap_password="wrong", poll_seconds=60)
    assert 110 < poll_and_delay(mailbox) < 130  # twice the poll interval
    assert "AUTHENTICATIONFAILED" in mailbox.last_error and mailbox.poll_failures == 1
    Mailbox.objects.update(imap_password=PASSWORD)  # the admin fixes it
    assert poll_now() == 1
    mailbox.refresh_from_db()
    assert (mailbox.poll_failures, mailbox.last_error) == (0, "")


@TRANSACTIONAL
def test_an_unreachable_server_is_retried_with_growing_backoff(personas):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connections are refused
        mailbox = Mailbox.objects.create(code="service", address="s@k.test", imap_host="127.0.0.1",
                                         imap_port=port, imap_ssl=False, imap_user="u",
                                         poll_seconds=60)  # fmt: skip
        delays = [poll_and_delay(mailbox) for _ in range(3)]
    assert "ConnectionRefusedError" in mailbox.last_error and mailbox.poll_failures == 3
    assert [round(d / 60) for d in delays] == [2, 4, 8]


@TRANSACTIONAL
def test_a_delivery_that_fails_leaves_the_message_for_the_next_poll(personas, dovecot, monkeypatch):
    dovecot.append(mail(1))
    mailbox_for(dovecot)

    def database_down(raw, mailbox="service", **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(imap, "deliver", database_down)
    assert poll_now() == 0
    mailbox = Mailbox.objects.get()
    assert "database is down" in mailbox.last_error and mailbox.last_uid == 0
    assert "\\Seen" not in dovecot.flags()[1]
    monkeypatch.setattr(imap, "deliver", deliver)
    assert poll_now() == 1
    assert Ticket.objects.count() == 1 and "\\Seen" in dovecot.flags()[1]


@TRANSACTIONAL
def test_a_new_uidvalidity_starts_over_without_duplicating(personas, dovecot):
    for n in (1, 2):
        dovecot.append(mail(n))
    mailbox_for(dovecot)
    assert poll_now() == 2
    Mailbox.objects.update(uid_validity=1, last_uid=99)  # as if the folder had been recreated
    assert poll_now() == 2  # read again …
    assert Ticket.objects.count() == 2  # … and recognised as already received
    mailbox = Mailbox.objects.get()
    assert mailbox.uid_validity != 1 and mailbox.last_uid == 2


@TRANSACTIONAL
def test_two_workers_never_poll_one_mailbox_at_once(personas, dovecot):
    for n in range(1, 6):
        dovecot.append(mail(n))
    mailbox = mailbox_for(dovecot)
    now = timezone.now()
    assert imap._claim(mailbox.pk, now) and not imap._claim(mailbox.pk, now)
    Mailbox.objects.update(next_poll_at=now - timedelta(seconds=1))
    start = threading.Barrier(2)
    counts: list[int] = []
    logins_before = dovecot.logins()

    def one_worker() -> None:
        start.wait()
        try:
            counts.append(worker.run_once(["imap-poll"])["imap-poll"])
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 5]
    assert dovecot.logins() - logins_before == 1
    assert Ticket.objects.count() == 5


def test_folder_names_are_encoded_in_modified_utf7():
    assert imap.imap_utf7("已处理") == "&XfJZBHQG-"
    assert imap.imap_utf7("Entwürfe & Co") == "Entw&APw-rfe &- Co"
    assert imap._folder('Done "x"') == '"Done \\"x\\""'


@TRANSACTIONAL
def test_mail_that_goes_to_quarantine_is_kept_there_and_marked_done(personas, dovecot):
    dovecot.append(b"Subject: no sender\r\nMessage-ID: <anon@imap>\r\n\r\nwho wrote this?\r\n")
    mailbox_for(dovecot)
    assert poll_now() == 1
    entry = Quarantine.objects.get()
    assert (entry.stage, entry.mailbox, entry.subject) == ("identity", "service", "no sender")
    assert "\\Seen" in dovecot.flags()[1]
    assert Mailbox.objects.get().last_uid == 1


@TRANSACTIONAL
def test_without_move_support_mail_is_copied_and_expunged(personas, dovecot):
    dovecot.append(mail(1))
    mailbox = mailbox_for(dovecot, imap_done_folder="Done")
    with dovecot.client() as client:
        client.create("Done")
        client.select("INBOX")
        imap._mark_done(client, mailbox, 1, capabilities=["IMAP4REV1"])  # an old server
    assert dovecot.flags("INBOX") == {}
    assert len(dovecot.flags("Done")) == 1
