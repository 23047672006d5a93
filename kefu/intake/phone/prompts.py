"""What the caller hears, in the call's language: short prompts in the charter's style
("按 1 查询订单…"). Every prompt is a gettext message, so both catalogues carry it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import gettext as _

from kefu.intake.phone.models import IvrOption, Language


@contextmanager
def speaking(language: str) -> Iterator[None]:
    with translation.override("zh-hans" if language == Language.ZH else "en"):
        yield


def spoken_number(number: str) -> str:
    """A ticket number as it is read out, one character at a time: K F 2 0 2 6 …"""
    return " ".join(number)


def greeting(line_name: str) -> str:
    return _("Welcome to %(line)s. Support never asks for your password or verification codes.") % {
        "line": line_name
    }


def option(choice: IvrOption, language: str) -> str:
    return _("Press %(key)s for %(label)s.") % {"key": choice.key, "label": choice.label(language)}


def no_such_key() -> str:
    return _("Sorry, that key is not on the menu.")


def key_order() -> str:
    return _("Please key your order number, then press the pound key.")


def key_ticket() -> str:
    return _("Please key the digits of your ticket number after KF, then press the pound key.")


def ticket_status(number: str, status: str) -> str:
    return _("Ticket %(number)s is %(status)s.") % {
        "number": spoken_number(number),
        "status": status,
    }


def no_ticket_found() -> str:
    return _("We found no ticket of yours with that number.")


def verify_first() -> str:
    return _(
        "To hear a ticket's status, please call from your registered phone number, "
        "or ask an agent to verify you."
    )


def key_account() -> str:
    return _(
        "To verify, key your phone account id from the portal, then press the pound key. "
        "We never ask for your password."
    )


def key_pin() -> str:
    return _("Key your phone PIN, then press the pound key. Never key your password.")


def pin_wrong() -> str:
    return _("The account id or PIN is not right.")


def pin_verified() -> str:
    return _("Thank you, you are verified.")


def offer_join(number: str) -> str:
    return _(
        "Press 1 to add this call to ticket %(number)s and speak to an agent. "
        "Press any other key for the menu."
    ) % {"number": spoken_number(number)}


def joined(number: str) -> str:
    return _("This call joins ticket %(number)s.") % {"number": spoken_number(number)}


def ticket_number(number: str) -> str:
    return _("Your ticket number is %(number)s.") % {"number": spoken_number(number)}


def connecting() -> str:
    return _("Connecting you to an agent.")


def please_hold() -> str:
    return _("All agents are busy. Please hold.")


def closed_leave_message() -> str:
    return _(
        "We are closed now. Please leave a message after the tone; "
        "we will call you back in working hours."
    )


def no_answer_leave_message() -> str:
    return _("No agent is free. Please leave a message after the tone; we will call you back.")


def thanks_call_back() -> str:
    return _("Thank you. We will call you back.")


def callback_requested() -> str:
    return _("We will call you back at this number.")


def emergency() -> str:
    return _("Connecting you to the lead on duty.")


def not_available() -> str:
    return _("This answer is not available now.")


def not_recorded() -> str:
    return _("Sorry, we could not record your call. Please try again later.")


def goodbye() -> str:
    return _("Goodbye.")
