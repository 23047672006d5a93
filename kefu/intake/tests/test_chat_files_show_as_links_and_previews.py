"""A file sent in a chat reaches the widget and the console as a link (an image also as a
preview): a signed link that opens that file only, never an internal one, never another."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.intake.chat import service
from kefu.intake.chat.lines import file_url
from kefu.testing import open_chat_around_the_clock, sample_file, session_client
from kefu.tickets import actions
from kefu.tickets.models import Attachment


def _chat_with_a_photo():
    open_chat_around_the_clock()
    chat = service.open_session(user=None, name="王", email="wang@buyer.test", language="zh")
    service.visitor_says(chat, "c1", "包裹破损了")
    upload = SimpleUploadedFile("破损.png", sample_file("png"), content_type="image/png")
    response = Client().post("/chat/upload/", {"token": chat.token, "file": upload})
    assert response.status_code == 201
    return chat, response.json()


@pytest.mark.django_db
def test_an_uploaded_image_comes_back_as_a_signed_preview_link(personas):
    chat, line = _chat_with_a_photo()
    [file] = line["files"]
    assert (file["name"], file["image"]) == ("破损.png", True)
    fetched = Client().get(file["url"])  # the visitor has no session: the link is enough
    assert fetched.status_code == 200 and fetched["Content-Type"] == "image/png"
    assert b"".join(fetched.streaming_content) == sample_file("png")
    # The console reads the same lines.
    service.ask_for_person(chat)
    history = session_client(personas.ada).get(f"/desk/chat/{chat.pk}/history.json").json()
    shown = [f for ln in history["lines"] for f in ln["files"]]
    assert [(f["name"], f["image"]) for f in shown] == [("破损.png", True)]
    assert Client().get(shown[0]["url"]).status_code == 200


@pytest.mark.django_db
def test_a_tampered_or_internal_file_link_opens_nothing(personas):
    chat, line = _chat_with_a_photo()
    url = line["files"][0]["url"]
    token, name = url.split("/")[-2:]
    assert Client().get(url.replace(token, token[:-2] + "xx")).status_code == 404
    assert Client().get(url.replace(name, "other.png")).status_code == 404
    chat.refresh_from_db()
    note = actions.add_message(ticket=chat.ticket, actor=personas.viewer(personas.ada),
                               body="internal photo", internal=True)  # fmt: skip
    hidden = actions.attach_file(ticket=chat.ticket, actor=personas.viewer(personas.ada),
                                 filename="secret.png", data=sample_file("png"), message=note)  # fmt: skip
    assert isinstance(hidden, Attachment)
    assert Client().get(file_url(hidden)).status_code == 404
