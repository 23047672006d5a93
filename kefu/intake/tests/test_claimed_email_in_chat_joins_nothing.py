"""A chat visitor who types a customer's email into the pre-chat form and repeats the customer's
words gets a new, unverified ticket of their own: not the customer's ticket (the duplicate
joiner), and resuming the chat replays only what that chat itself said (security review,
issue #17)."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from kefu.accounts.access import viewer_for
from kefu.intake.base import TicketFields
from kefu.intake.chat.consumers import VisitorConsumer
from kefu.intake.interactive import open_ticket
from kefu.intake.models import ChatSession
from kefu.tickets import actions
from kefu.tickets.models import Ticket
from kefu.tickets.queries import visible_tickets

BUYERS_WORDS = "Container CN-778 has been stuck at Shanghai port for three days, please check."
SECRET_REPLY = "Your new delivery address is 88 Nanjing Road; the code for the gate is 4711."


async def _next(socket: WebsocketCommunicator, kind: str) -> dict:
    while True:
        frame = await socket.receive_json_from(timeout=5)
        if frame.get("type") == kind:
            return frame


async def _frames_after_hello(socket: WebsocketCommunicator) -> list[dict]:
    frames = [await _next(socket, "session")]
    while not await socket.receive_nothing(timeout=0.3):
        frames.append(await socket.receive_json_from())
    return frames


def _socket() -> WebsocketCommunicator:
    socket = WebsocketCommunicator(VisitorConsumer.as_asgi(), "/ws/chat/")
    socket.scope["user"] = None
    socket.scope["client"] = ("198.51.100.7", 40000)
    return socket


async def _impostor(text: str) -> tuple[str, list[dict]]:
    """Claim Anna's email, repeat her words, then resume the chat from message 0."""
    socket = _socket()
    await socket.connect()
    await socket.send_json_to({"type": "hello", "email": "anna@acme.test", "lang": "en"})
    token = (await _next(socket, "session"))["token"]
    await socket.send_json_to({"type": "message", "id": "x1", "text": text})
    await _next(socket, "ack")
    await socket.disconnect()
    again = _socket()
    await again.connect()
    await again.send_json_to({"type": "hello", "token": token, "last_seq": 0, "lang": "en"})
    frames = await _frames_after_hello(again)
    await again.disconnect()
    return token, frames


def _annas_ticket(personas) -> Ticket:
    anna = personas.anna
    result = open_ticket(channel="web", viewer=viewer_for(anna), requester=anna,
                         organization=personas.acme, subject="Container stuck",
                         body=BUYERS_WORDS, fields=TicketFields(category="shipment_logistics"))  # fmt: skip
    actions.add_message(ticket=result.ticket, actor=viewer_for(personas.alice), body=SECRET_REPLY)
    return result.ticket


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_repeat_under_a_claimed_email_opens_a_new_unverified_ticket(personas):
    annas = _annas_ticket(personas)
    token, frames = asyncio.run(_impostor(BUYERS_WORDS.replace("three", "3")))
    chat = ChatSession.objects.select_related("ticket").get(token=token)
    assert chat.ticket != annas
    assert annas.messages.count() == 2, "nothing joined Anna's ticket"
    assert not chat.ticket.is_verified and chat.ticket.organization is None
    assert chat.ticket.triage["identity"] == {"proven": False, "reason": "claimed", "note": "",
                                              "claimed": "anna@acme.test"}  # fmt: skip
    replayed = " ".join(f.get("text", "") for f in frames if f["type"] == "message")
    assert SECRET_REPLY not in replayed and frames[0]["ticket"] == chat.ticket.number
    assert [f["text"] for f in frames if f.get("author") == "visitor"] == [
        BUYERS_WORDS.replace("three", "3")
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_claimed_ticket_stays_out_of_the_customers_portal(personas):
    token, _ = asyncio.run(_impostor("Please change the delivery address of PO-88123."))
    claimed = ChatSession.objects.get(token=token).ticket
    for customer in (personas.anna, personas.sam):
        assert not visible_tickets(viewer_for(customer)).filter(pk=claimed.pk).exists()
    assert visible_tickets(viewer_for(personas.ada)).filter(pk=claimed.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_customer_never_joins_the_ticket_opened_in_their_name(personas):
    """The other way round: Anna's own repeat must not land where the impostor reads."""
    token, _ = asyncio.run(_impostor(BUYERS_WORDS))
    claimed = ChatSession.objects.get(token=token).ticket
    annas = _annas_ticket(personas)
    assert annas != claimed and claimed.messages.filter(body=BUYERS_WORDS).count() == 1
