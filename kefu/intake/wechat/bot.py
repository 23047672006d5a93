"""The knowledge-base bot in front of WeChat, within WeChat's 5-second passive-reply window.

While no agent has answered a WeChat ticket, each thing the follower writes (or says, when WeChat
recognised it) is put to the bot (``kefu.knowledge.bot``, the chat's bot); a confident answer is
recorded on the ticket as the bot's message and sent back as the passive reply (or, when WeChat's
window is too short for it, worked out or sent later by the delivery worker: ``inbound.py``,
``sender.py``). Anything else
waits for an agent, whose reply goes out as a customer-service message (``followers.py``). The
bot failing costs only its answer: the message has already landed.
"""

from __future__ import annotations

import logging

from kefu.accounts.access import BOT
from kefu.intake.chat.bot_bridge import ROLES
from kefu.knowledge import bot
from kefu.knowledge.dialogue import Role, Turn
from kefu.tickets import actions
from kefu.tickets.models import Message, Ticket
from kefu.tickets.work import unit_of_work

log = logging.getLogger("kefu.intake.wechat")


def in_charge(ticket: Ticket) -> bool:
    """Whether the bot still answers on ``ticket``: no agent has answered publicly yet."""
    return not _agent_answered(ticket)


def _agent_answered(ticket: Ticket) -> bool:
    return Message.objects.filter(
        ticket=ticket, author_role=Message.AuthorRole.AGENT, is_internal=False
    ).exists()


def _conversation(ticket: Ticket, latest: Message) -> list[Turn]:
    rows = (
        Message.objects.filter(ticket=ticket, is_internal=False)
        .exclude(pk=latest.pk)
        .order_by("pk")
        .values_list("author_role", "body")
    )
    return [Turn(ROLES.get(role, Role.SYSTEM), body) for role, body in rows]


def answer(ticket: Ticket, latest: Message, text: str) -> str:
    """The bot's confident answer to ``text`` (recorded on the ticket), or ""."""
    try:
        if _agent_answered(ticket):
            return ""  # a person has the conversation now
        reply = bot.reply(_conversation(ticket, latest), text)
        if reply.kind != "answer":
            return ""
        with unit_of_work():
            actions.add_message(ticket=ticket, actor=BOT, body=reply.text)
        return reply.text
    except Exception:
        log.exception("the WeChat bot failed on ticket %s", ticket.number)
        return ""
