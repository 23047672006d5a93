"""With ``KEFU_S3_*`` set, attachments and raw inbound mail live in an S3-compatible bucket that
every node shares (here moto's server on 127.0.0.1): written, read and deleted through Django's
storage API, raw mail still encrypted before it leaves the process, and downloads still behind
Kefu's access checks (streamed through the view, never a public or presigned bucket URL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu import crypto
from kefu.intake import rawstore
from kefu.testing import S3Server, api_client, make_ticket, sample_file, session_client
from kefu.tickets.models import Attachment


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with S3Server() as server:
        yield server


@pytest.fixture
def in_s3(s3: S3Server, settings) -> S3Server:  # type: ignore[no-untyped-def]
    settings.STORAGES = s3.storages()
    return s3


def _object(s3: S3Server, key: str) -> bytes:
    return bytes(s3.client().get_object(Bucket=s3.bucket, Key=key)["Body"].read())


def test_a_file_is_stored_read_and_deleted_in_the_bucket(in_s3):
    name = default_storage.save("probe/hello.txt", ContentFile(b"ni hao"))
    assert f"media/{name}" in in_s3.object_keys()  # under KEFU_S3_PREFIX
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == b"ni hao"
    default_storage.delete(name)
    assert not default_storage.exists(name)
    assert f"media/{name}" not in in_s3.object_keys()


def test_raw_mail_goes_to_the_bucket_encrypted_and_comes_back_as_received(in_s3):
    raw = b"From: anna@acme.test\r\nSubject: card\r\n\r\nMy card is 4111 1111 1111 1111\r\n"
    path = rawstore.keep(raw, ".eml")
    stored = _object(in_s3, f"media/{path}")
    assert stored.startswith(crypto.FILE_MARK) and b"4111" not in stored
    assert rawstore.read(path) == raw
    assert rawstore.keep(raw, ".eml") == path  # the same message is kept once


@pytest.mark.django_db
def test_an_attachment_uploaded_through_the_api_is_downloaded_from_the_bucket(in_s3, personas):
    ticket = make_ticket(personas.anna)
    data = sample_file("png")
    upload = SimpleUploadedFile("proof.png", data, content_type="image/png")
    response = api_client(personas.anna).post(
        f"/api/v1/tickets/{ticket.number}/attachments", {"file": upload}
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(ticket=ticket)
    assert _object(in_s3, f"media/{attachment.file.name}") == data
    download = session_client(personas.anna).get(response.json()["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert session_client(personas.otto).get(response.json()["url"]).status_code == 404
