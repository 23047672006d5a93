"""Reads for the voice webhook: lines, callers, agents to ring, a caller's own ticket.

A caller's ticket is read through ``accounts.access.ticket_filter`` as the caller would see it
in the portal: a number keyed on the phone reveals nothing another account may not read.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from kefu.accounts.access import Viewer, ticket_filter, viewer_for
from kefu.accounts.models import Account, Agent, Organization, User
from kefu.errors import NotFound
from kefu.intake.phone.models import Call, CallbackTask, IvrMenu, IvrOption, PhoneLine
from kefu.knowledge.models import Article, ArticleStatus
from kefu.knowledge.text import plain_text
from kefu.tickets.models import Status, Ticket

KEYPAD = "1234567890*#"
NOT_DIGITS = re.compile(r"\D+")
# A help-centre answer read on the phone: its opening, to the end of a sentence.
SPOKEN_ANSWER_CHARS = 400


def active_line(code: str) -> PhoneLine | None:
    return (
        PhoneLine.objects.select_related("calendar", "menu")
        .filter(code=code, is_active=True)
        .first()
    )


def menu(code: str) -> IvrMenu | None:
    return IvrMenu.objects.filter(code=code).first()


def options(menu: IvrMenu) -> list[IvrOption]:
    """A menu's options in keypad order: 1 … 9, then 0, * and #."""
    found = menu.options.select_related("menu", "submenu", "category")
    return sorted(found, key=lambda option: KEYPAD.index(option.key))


def national(number: str) -> str:
    """A number without its trunk and country prefixes, to compare however it was typed:
    +86 755 8600 0002, 0755-86000002 and 075586000002 are the same line."""
    digits = NOT_DIGITS.sub("", number)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits.lstrip("0")


def _same_number(stored: str, caller: str) -> bool:
    return bool(caller) and national(stored) == caller


def registered_caller(number: str) -> tuple[User, Organization] | None:
    """The customer account whose registered phone is ``number``: an account's own phone, else
    the organisation's registered company phone (its main account answers for it)."""
    caller = national(number)
    if len(caller) < 5:
        return None
    tail = caller[-4:]  # narrows the scan; the comparison itself is on the whole number
    accounts = (
        Account.objects.select_related("user", "organization")
        .filter(user__phone__endswith=tail, user__is_active=True)
        .order_by("-is_main", "pk")
    )
    for account in accounts:
        if _same_number(account.user.phone, caller):
            return account.user, account.organization
    mains = Account.objects.select_related("user", "organization").filter(
        organization__phone__endswith=tail, is_main=True, user__is_active=True
    )
    for main in mains.order_by("pk"):
        if _same_number(main.organization.phone, caller):
            return main.user, main.organization
    return None


def agent_for_skill(skill: str) -> Agent | None:
    """An online agent with ``skill`` (any online agent when the option names none), the one
    with the fewest calls ringing or answered first."""
    busy = {Call.State.RINGING, Call.State.ANSWERED}
    candidates = [
        agent
        for agent in Agent.objects.select_related("user").filter(
            status=Agent.Status.ONLINE,
            user__is_active=True,
            role__in=[Agent.Role.AGENT, Agent.Role.LEAD],
        )
        if not skill or skill in (agent.skills or [])
    ]
    if not candidates:
        return None
    load = {
        agent.pk: Call.objects.filter(agent=agent, state__in=busy).count() for agent in candidates
    }
    return min(candidates, key=lambda agent: (load[agent.pk], agent.code))


def callers_ticket(call: Call, keyed: str) -> Ticket | None:
    """The ticket ``KF<keyed>`` if the verified caller's account may see it."""
    digits = NOT_DIGITS.sub("", keyed)
    if call.caller is None or not digits:
        return None
    viewer = viewer_for(call.caller)
    return Ticket.objects.filter(ticket_filter(viewer), number=f"KF{digits}").first()


def is_open(ticket: Ticket) -> bool:
    return ticket.status not in (Status.RESOLVED, Status.CLOSED) and not ticket.merged_into_id


def callers_open_ticket(call: Call, number: str) -> Ticket | None:
    """The caller's own ticket ``number`` if it is still open (a call may join it)."""
    found = callers_ticket(call, number.upper().removeprefix("KF"))
    return found if found is not None and is_open(found) else None


def article_answer(slug: str, language: str) -> str:
    """The opening of a published help-centre article, short enough to be read aloud."""
    article = (
        Article.objects.filter(slug=slug, status=ArticleStatus.PUBLISHED, language=language).first()
        or Article.objects.filter(slug=slug, status=ArticleStatus.PUBLISHED).first()
    )
    if article is None:
        return ""
    text = " ".join(plain_text(article.body).split())
    if len(text) <= SPOKEN_ANSWER_CHARS:
        return text
    cut = text[:SPOKEN_ANSWER_CHARS]
    end = max(cut.rfind("。"), cut.rfind(". "), cut.rfind("！"), cut.rfind("？"))
    return cut[: end + 1] if end > 0 else cut


def call_by_sid(line: PhoneLine, call_sid: str) -> Call | None:
    return (
        Call.objects.select_related("line", "ticket", "caller", "agent")
        .filter(line=line, call_sid=call_sid)
        .first()
    )


def open_callbacks(viewer: Viewer) -> QuerySet[CallbackTask]:
    """Callback tasks not yet done that this agent may work, the most overdue first: those of
    tickets they may see, and calls that left no ticket (a caller who hung up in the menu)."""
    visible = Ticket.objects.filter(ticket_filter(viewer)).values("pk")
    return (
        CallbackTask.objects.select_related("line", "ticket", "call")
        .defer("line__signing_secret")  # a desk page has no use for the line's secret
        .filter(done_at=None)
        .filter(Q(ticket__isnull=True) | Q(ticket__in=visible))
        .order_by("due_at", "pk")
    )


def callback(viewer: Viewer, task_id: int) -> CallbackTask:
    found = open_callbacks(viewer).filter(pk=task_id).first()
    if found is None:
        raise NotFound()
    return found


def agent_by_code(code: str) -> Agent | None:
    """An agent who may take calls (QA reviews tickets, it does not work them)."""
    if not code:
        return None
    return (
        Agent.objects.select_related("user")
        .filter(code=code, user__is_active=True)
        .exclude(role=Agent.Role.QA)
        .first()
    )


def desk_call(viewer: Viewer, call_id: int) -> Call:
    """A call the agent may work: its ticket is one they may see, or it left no ticket."""
    visible = Ticket.objects.filter(ticket_filter(viewer)).values("pk")
    found = (
        Call.objects.select_related("line", "ticket", "organization", "agent")
        .defer("line__signing_secret")
        .filter(Q(ticket__isnull=True) | Q(ticket__in=visible), pk=call_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def ringing_call(viewer: Viewer) -> Call | None:
    """The call ringing at (or just taken by) this agent and not yet over: the screen pop."""
    if viewer.agent is None:
        return None
    return (
        Call.objects.select_related("line", "ticket", "organization", "caller", "verified_by")
        .defer("line__signing_secret")
        .filter(
            agent=viewer.agent, ended_at=None, state__in=[Call.State.RINGING, Call.State.ANSWERED]
        )
        .order_by("-started_at", "-pk")
        .first()
    )


def open_tickets_of_caller(viewer: Viewer, call: Call, limit: int = 10) -> list[Ticket]:
    """The caller's organisation's open tickets (their own, when they have none), as this agent
    may see them, newest first."""
    if call.organization_id is not None:
        mine = Q(organization_id=call.organization_id)
    elif call.caller_id is not None:
        mine = Q(requester_id=call.caller_id)
    else:
        return []
    return list(
        Ticket.objects.filter(ticket_filter(viewer))
        .filter(mine, merged_into=None)
        .exclude(status__in=[Status.RESOLVED, Status.CLOSED])
        .order_by("-created_at")[:limit]
    )


def organizations_to_confirm(limit: int = 500) -> list[Organization]:
    """The accounts an agent chooses from when confirming a caller (company name, account id)."""
    return list(Organization.objects.order_by("name", "code")[:limit])
