"""Ratings of tickets and chats show alike wherever a customer's tickets are listed: the
desk's ticket page (its ratings, and the customer's other tickets on the customer panel), the chat console's side
panel, and the customer's own ticket list."""

import pytest

from kefu.intake.chat import service
from kefu.intake.models import ChatSession
from kefu.ratings import actions
from kefu.ratings.models import Rating
from kefu.testing import make_ticket, session_client

from .conftest import resolve


@pytest.mark.django_db
def test_ticket_and_chat_ratings_show_in_every_history(personas):
    rated = resolve(personas)
    actions.rate_ticket(ticket=rated, actor=personas.viewer(personas.anna), score="unsatisfied",
                        comment="Too slow", via=Rating.Via.PORTAL)  # fmt: skip
    chat_ticket = make_ticket(personas.anna, channel="chat", subject="Chat about PO-7")
    chat = ChatSession.objects.create(token="c-1", ticket=chat_ticket, visitor=personas.anna,
                                      agent=personas.alice.agent, state="active")  # fmt: skip
    service.rate(chat, "satisfied", "Quick answer")
    live = make_ticket(personas.anna, subject="Another question")

    alice = session_client(personas.alice)
    page = alice.get(f"/desk/t/{live.number}/").content.decode()
    history = page[page.index('id="customer-panel"') :]
    assert rated.number in history and chat_ticket.number in history
    assert "score-unsatisfied" in history and "score-satisfied" in history
    chat_page = alice.get(f"/desk/t/{chat_ticket.number}/").content.decode()
    assert "Quick answer" in chat_page and "End of a chat" in chat_page

    panel = alice.get(f"/desk/chat/{chat.pk}/panel/").content.decode()
    assert rated.number in panel and "score-unsatisfied" in panel and 'title="Too slow"' in panel

    mine = session_client(personas.anna).get("/portal/?show=all").content.decode()
    assert mine.count("badge score-") == 2
