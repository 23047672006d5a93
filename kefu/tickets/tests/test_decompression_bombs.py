"""Images are measured before they are decoded: a 30000×30000 PNG (100 KB on the wire, 900
million pixels once inflated) used to crash the upload with Pillow's DecompressionBombError (a
500). It is refused with 422 naming the file, its size and the limit, in the caller's language."""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kefu.lib.filetypes import Problem, check_file
from kefu.testing import api_client, make_ticket, sample_file, session_client
from kefu.tickets.models import Attachment, Ticket

MB = 1024 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A real 1-bit PNG of blank rows: it compresses about a thousandfold."""
    compressor = zlib.compressobj(1)
    rows = (b"\x00" * (1 + (width + 7) // 8)) * 1000
    data = b"".join(compressor.compress(rows) for _ in range(height // 1000))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data + compressor.flush())
        + _chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims another size."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_bomb()


@pytest.mark.django_db
def test_the_api_refuses_the_bomb_naming_file_size_and_limit(personas, bomb):
    assert len(bomb) < MB
    ticket = make_ticket(personas.anna)
    for language, says in (
        ("en", "“bomb.png” is 30000×30000 pixels; images may have at most 50 million pixels."),
        ("zh-CN", "“bomb.png”为 30000×30000 像素；图片最多允许 50 百万像素。"),
    ):
        client = api_client(personas.anna, **{"Accept-Language": language})
        response = client.post(
            f"/api/v1/tickets/{ticket.number}/attachments",
            {"file": SimpleUploadedFile("bomb.png", bomb, "image/png")},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "attachment_rejected"
        assert response.json()["detail"][0]["msg"] == says
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_the_portal_form_says_why(personas, bomb):
    client = session_client(personas.anna)
    token = client.get("/portal/new/").context["csrf_token"]
    response = client.post("/portal/new/", {
        "csrfmiddlewaretoken": token, "subject": "Broken screens", "body": "See the photo",
        "attachments": [SimpleUploadedFile("bomb.png", bomb)],
    })  # fmt: skip
    assert response.status_code == 200
    assert "is 30000×30000 pixels" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("data", "too_many"),
    [(jpeg_claiming(65000, 65000), True), (jpeg_claiming(7000, 7000), False),
     (sample_file("png"), False)],
    ids=["65000x65000 JPEG", "7000x7000 JPEG (49 MP)", "8x8 PNG"],
)  # fmt: skip
def test_the_size_is_read_from_the_header_before_decoding(data, too_many):
    verdict = check_file("image", data, 10 * MB)
    assert (verdict.problem is Problem.TOO_MANY_PIXELS) is too_many
    if too_many:
        assert verdict.dimensions == (65000, 65000)


def test_the_limit_is_a_parameter():
    assert check_file("a.png", sample_file("png"), MB, max_pixels=63).problem == (
        Problem.TOO_MANY_PIXELS
    )
    assert check_file("a.png", sample_file("png"), MB, max_pixels=64).ok


def test_pillows_own_guard_is_set_to_the_same_limit():
    assert settings.KEFU_IMAGE_MAX_PIXELS == 50_000_000
    assert Image.MAX_IMAGE_PIXELS == settings.KEFU_IMAGE_MAX_PIXELS
