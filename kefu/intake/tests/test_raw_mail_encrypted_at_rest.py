"""Raw inbound payloads (.eml and JSON) are encrypted at rest, private (0600) and named without
revealing their content; quarantine re-processing and the admin read them back; files from
before encryption stay readable and ``kefu encrypt_at_rest`` rewrites them."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from kefu import crypto
from kefu.delivery.tests.test_email_smtp import customer_mail
from kefu.intake import rawstore
from kefu.intake.base import InboundMessage
from kefu.intake.email.inbound import deliver
from kefu.intake.ingest import ingest
from kefu.intake.models import InboundRecord, Outcome, Quarantine
from kefu.intake.quarantine import reprocess
from kefu.testing import session_client

CARD = "6222 0212 3456 7894"
MAIL = customer_mail("anna@acme.test", f"卡号 {CARD} 退款", f"请退款到卡 {CARD}，手机 13812345678",
                     "raw-at-rest@acme.test")  # fmt: skip
NAMELESS = (f"Subject: 卡号 {CARD}\r\nMessage-ID: <held@x>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n手机 13812345678\r\n").encode()  # fmt: skip


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_the_raw_email_on_disk_is_encrypted_private_and_opaquely_named(personas, settings):
    assert deliver(MAIL).outcome == Outcome.TICKET
    record = InboundRecord.objects.get()
    path = Path(settings.MEDIA_ROOT) / record.raw_path
    data = path.read_bytes()
    assert data.startswith(crypto.FILE_MARK)
    for secret in (CARD, CARD.replace(" ", ""), "13812345678", "raw-at-rest@acme.test",
                   "anna@acme.test"):  # fmt: skip
        assert secret.encode() not in data
    assert "退款".encode() not in data  # no plain text at all
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert hashlib.sha256(MAIL).hexdigest() not in record.raw_path  # a guess cannot be confirmed
    assert rawstore.read(record.raw_path) == MAIL
    for other in files_under(Path(settings.MEDIA_ROOT) / "inbound"):
        assert CARD.replace(" ", "").encode() not in other.read_bytes()


@pytest.mark.django_db
def test_quarantined_email_is_encrypted_and_reprocessing_reads_it_back(personas, settings):
    assert deliver(NAMELESS).outcome == Outcome.QUARANTINED
    entry = Quarantine.objects.get()
    data = (Path(settings.MEDIA_ROOT) / entry.raw_path).read_bytes()
    assert data.startswith(crypto.FILE_MARK) and b"13812345678" not in data
    entry.sender = "anna@acme.test"  # the admin's fix
    entry.save(update_fields=["sender"])
    result = reprocess(entry)
    assert result.outcome == Outcome.TICKET
    assert "622202******7894" in result.ticket.subject


@pytest.mark.django_db
def test_a_quarantined_json_message_is_encrypted_and_reprocessed(personas, settings, monkeypatch):
    message = InboundMessage(channel="wechat", external_id="w-raw", sender_address="",
                             text=f"卡号 {CARD}，订单 PO-1 退款")  # fmt: skip
    assert ingest(message).outcome == Outcome.QUARANTINED
    entry = Quarantine.objects.get()
    assert entry.raw_path.endswith(".json")
    data = (Path(settings.MEDIA_ROOT) / entry.raw_path).read_bytes()
    assert data.startswith(crypto.FILE_MARK) and CARD.encode() not in data
    from kefu.intake import identity

    original = identity.resolve_identity

    def fixed(message):
        message.sender_address = "anna@acme.test"
        return original(message)

    monkeypatch.setattr("kefu.intake.ingest.resolve_identity", fixed)
    assert reprocess(entry).outcome == Outcome.TICKET


@pytest.mark.django_db
def test_the_admin_shows_the_decrypted_message(personas):
    deliver(NAMELESS)
    entry = Quarantine.objects.get()
    page = session_client(personas.ada).get(f"/admin/intake/quarantine/{entry.pk}/raw/")
    assert "Message-ID: &lt;held@x&gt;" in page.content.decode()


@pytest.mark.django_db
def test_files_from_before_encryption_stay_readable_and_the_command_encrypts_them(
    personas, settings
):
    digest = hashlib.sha256(NAMELESS).hexdigest()
    legacy = f"inbound/{digest[:2]}/{digest}.eml"
    path = Path(settings.MEDIA_ROOT) / legacy
    path.parent.mkdir(parents=True)
    path.write_bytes(NAMELESS)  # as the previous release stored it: plain, by SHA-256
    entry = Quarantine.objects.create(channel="email", external_id="held@x", stage="identity",
                                      reason="no sender", raw_path=legacy)  # fmt: skip
    assert rawstore.read(legacy) == NAMELESS
    call_command("encrypt_at_rest")
    entry.refresh_from_db()
    assert entry.raw_path != legacy and not path.exists()
    new = Path(settings.MEDIA_ROOT) / entry.raw_path
    assert new.read_bytes().startswith(crypto.FILE_MARK)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    entry.sender = "anna@acme.test"
    entry.save(update_fields=["sender"])
    assert reprocess(entry).outcome == Outcome.TICKET


@pytest.mark.django_db
def test_a_rotated_key_still_reads_old_files_and_the_command_moves_them_to_the_new_key(
    personas, settings
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.KEFU_ENCRYPTION_KEY = old
    deliver(NAMELESS)
    entry = Quarantine.objects.get()
    settings.KEFU_ENCRYPTION_KEY = f"{new},{old}"  # the new key first; the old one still reads
    assert rawstore.read(entry.raw_path) == NAMELESS
    call_command("encrypt_at_rest")
    settings.KEFU_ENCRYPTION_KEY = new  # the old key dropped
    entry.refresh_from_db()
    assert rawstore.read(entry.raw_path) == NAMELESS


def test_without_a_configured_key_one_is_generated_once_with_mode_0600(settings, tmp_path):
    settings.KEFU_ENCRYPTION_KEY = ""
    settings.DATA_DIR = tmp_path
    token = crypto.encrypt(b"secret")
    key_file = tmp_path / crypto.KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = key_file.read_bytes()
    assert crypto.decrypt(token) == b"secret" and key_file.read_bytes() == first
    assert Fernet(first.strip()).decrypt(token[len(crypto.FILE_MARK) :]) == b"secret"
