"""The only code that writes macros, and the one way a macro is applied to a ticket.

``reply_with_macro`` is what the desk's reply box and the chat console call: the reply, the
macro's changes (status, priority, category, tags, team, assignee), its internal note and the
macro's usage count are written in one unit of work through ``tickets.actions`` — all of it
happens, or none of it. Who may edit which macro is ``queries.editable_filter``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.accounts.models import Agent
from kefu.errors import Forbidden, Invalid
from kefu.macros import queries
from kefu.macros.models import Macro, Scope
from kefu.tickets import actions as ticket_actions
from kefu.tickets.models import Message, Ticket
from kefu.tickets.work import atomic_unit


def _may_share(actor: Viewer, macro: Macro) -> bool:
    """May ``actor`` own a macro shared as ``macro`` says (scope, team, owner)?"""
    agent = actor.agent
    if agent is None or not actor.may_edit_tickets:
        return False
    if actor.is_admin:
        return True
    if macro.scope == Scope.PERSONAL:
        return macro.owner_id == agent.pk
    if macro.scope == Scope.TEAM:
        return agent.role == Agent.Role.LEAD and macro.team_id in queries.lead_team_ids(actor)
    return False


def save_macro(*, actor: Viewer, macro: Macro) -> Macro:
    """Create or change a macro, if ``actor`` may edit it both as it was and as it will be."""
    if macro.pk is not None and not queries.may_edit(actor, macro):
        raise Forbidden(_("You may not edit this macro."), field="scope")
    if not _may_share(actor, macro):
        raise Forbidden(
            _("Agents keep personal macros; team leads also their teams'; admins any."),
            field="scope",
        )
    try:
        macro.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(messages[0], field=field) from error
    macro.updated_at = timezone.now()
    macro.save()
    return macro


def delete_macro(*, actor: Viewer, macro: Macro) -> None:
    if not queries.may_edit(actor, macro):
        raise Forbidden(_("You may not edit this macro."), field="scope")
    macro.delete()


def macro_changes(macro: Macro, ticket: Ticket, actor: Viewer) -> dict[str, Any]:
    """The ticket fields ``macro`` changes, as ``tickets.actions.update_ticket`` takes them."""
    changes: dict[str, Any] = {}
    if macro.set_priority:
        changes["priority"] = macro.set_priority
    if macro.set_category_id:
        changes["category"] = macro.set_category
    if macro.set_team_id:
        changes["team"] = macro.set_team
    if macro.assign_to_me and actor.agent is not None:
        changes["assignee"] = actor.agent
    elif macro.set_assignee_id:
        changes["assignee"] = macro.set_assignee
    if macro.add_tags:
        changes["tags"] = sorted(set(ticket.tags) | set(macro.add_tags))
    if macro.set_status:
        changes["status"] = macro.set_status
    return changes


@atomic_unit
def count_use(*, macro: Macro) -> None:
    Macro.objects.filter(pk=macro.pk).update(
        usage_count=F("usage_count") + 1, last_used_at=timezone.now()
    )


@atomic_unit
def reply_with_macro(
    *,
    ticket: Ticket,
    actor: Viewer,
    body: str,
    internal: bool = False,
    macro: Macro | None = None,
    then_status: str = "",
    attachments: Iterable[tuple[str, bytes]] = (),
) -> Message | None:
    """One submit of the reply box: the reply (or note) with its files, then the macro's
    changes and note, then ``then_status`` ("submit and set status") — in one unit of work."""
    body = body.strip()
    if not body and macro is None and not then_status:
        raise Invalid(_("Write a reply."), field="body")
    message = None
    if body:
        message = ticket_actions.add_message(
            ticket=ticket, actor=actor, body=body, internal=internal
        )
        for name, content in attachments:
            ticket_actions.attach_file(
                ticket=ticket, actor=actor, filename=name, data=content, message=message
            )
    changes: dict[str, Any] = {}
    if macro is not None:
        changes = macro_changes(macro, ticket, actor)
        if macro.note.strip():
            note = queries.rendered(macro.note, ticket, actor)
            ticket_actions.add_message(ticket=ticket, actor=actor, body=note, internal=True)
        count_use(macro=macro)
    if then_status:
        changes["status"] = then_status
    if changes:
        ticket_actions.update_ticket(ticket=ticket, actor=actor, changes=changes)
    return message


@atomic_unit
def change_in_bulk(
    *,
    ticket: Ticket,
    actor: Viewer,
    changes: dict[str, Any],
    add_tags: Iterable[str] = (),
    macro: Macro | None = None,
) -> None:
    """One row of a bulk action on the queue, in its own unit of work: the chosen changes and
    tags, then the macro as the reply box applies it (its reply in the ticket's language)."""
    tags = set(add_tags) - set(ticket.tags)
    if tags:
        changes = {**changes, "tags": sorted(set(ticket.tags) | tags)}
    if changes:
        ticket_actions.update_ticket(ticket=ticket, actor=actor, changes=changes)
    if macro is not None:
        body = queries.reply_for(macro, ticket, actor)
        reply_with_macro(ticket=ticket, actor=actor, body=body, macro=macro)
