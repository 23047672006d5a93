import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.errors import AttachmentRejected
from kefu.testing import api_client, make_ticket, sample_file
from kefu.tickets import actions
from kefu.tickets.models import Attachment

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "kind", "mime"),
    [("shot.png", "png", "image/png"), ("photo.JPG", "jpeg", "image/jpeg"),
     ("bank statement.pdf", "pdf", "application/pdf"), ("no-extension", "png", "image/png")],
)  # fmt: skip
@pytest.mark.django_db
def test_real_jpg_png_pdf_are_accepted(personas, name, kind, mime):
    ticket = make_ticket(personas.anna)
    attachment = actions.attach_file(
        ticket=ticket, actor=personas.viewer(personas.anna), filename=name, data=sample_file(kind)
    )
    assert (attachment.content_type, attachment.filename) == (mime, name)
    assert attachment.file.read() == sample_file(kind)
    assert ticket.events.filter(kind="attachment", new=name).exists()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("invoice.jpg", sample_file("pdf"), "is named .jpg but its content is PDF"),
        ("setup.png", sample_file("exe"), "is not a JPG, PNG or PDF file"),
        ("big.pdf", sample_file("pdf", 11 * MB), "is 11.0 MB; files may be at most 10 MB"),
        ("empty.png", b"", "is empty"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "is damaged"),
        ("notes.txt", b"just text", "is not a JPG, PNG or PDF file"),
    ],
)
@pytest.mark.django_db
def test_files_are_refused_by_content_with_a_clear_error(personas, name, data, says):
    ticket = make_ticket(personas.anna)
    with pytest.raises(AttachmentRejected) as refused:
        actions.attach_file(
            ticket=ticket, actor=personas.viewer(personas.anna), filename=name, data=data
        )
    assert says in str(refused.value.message)
    assert refused.value.field == "file"
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_exactly_ten_megabytes_is_allowed(personas):
    ticket = make_ticket(personas.anna)
    data = sample_file("pdf", 10 * MB)
    assert len(data) == 10 * MB
    actions.attach_file(
        ticket=ticket, actor=personas.viewer(personas.anna), filename="a.pdf", data=data
    )


@pytest.mark.django_db
def test_api_upload_refuses_a_renamed_executable_in_chinese(personas):
    ticket = make_ticket(personas.otto)
    client = api_client(personas.otto, **{"Accept-Language": "zh-CN"})
    upload = SimpleUploadedFile("photo.png", sample_file("exe"), content_type="image/png")
    response = client.post(f"/api/v1/tickets/{ticket.number}/attachments", {"file": upload})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "attachment_rejected"
    assert body["detail"][0]["field"] == "file"
    assert "不是 JPG、PNG 或 PDF 文件" in body["detail"][0]["msg"]


@pytest.mark.django_db
def test_api_upload_stores_and_serves_the_file_to_the_organisation_only(personas):
    ticket = make_ticket(personas.anna)
    upload = SimpleUploadedFile("proof.png", sample_file("png"), content_type="image/png")
    response = api_client(personas.anna).post(
        f"/api/v1/tickets/{ticket.number}/attachments", {"file": upload}
    )
    assert response.status_code == 201, response.content
    url = response.json()["url"]
    from kefu.testing import session_client

    assert session_client(personas.anna).get(url).status_code == 200
    assert session_client(personas.otto).get(url).status_code == 404
