"""What the macro picker shows: each usable macro's titles, scope and what it will do, as
JSON the page embeds (``json_script``) for the `/` search in the reply box and the chat console.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kefu.accounts.access import Viewer
from kefu.macros.models import Macro, Scope
from kefu.macros.queries import usable_macros
from kefu.tickets.models import Priority, Status


def action_labels(macro: Macro) -> list[str]:
    """What applying ``macro`` does besides the reply, in the reader's language."""
    labels = []
    if macro.set_status:
        labels.append(_("Status → %(value)s") % {"value": Status(macro.set_status).label})
    if macro.set_priority:
        labels.append(_("Priority → %(value)s") % {"value": Priority(macro.set_priority).label})
    if macro.set_category_id:
        labels.append(_("Category → %(value)s") % {"value": macro.set_category})
    if macro.add_tags:
        labels.append(_("Tags + %(value)s") % {"value": ", ".join(macro.add_tags)})
    if macro.set_team_id:
        labels.append(_("Team → %(value)s") % {"value": macro.set_team})
    if macro.assign_to_me:
        labels.append(_("Assign to me"))
    elif macro.set_assignee_id:
        labels.append(_("Assignee → %(value)s") % {"value": macro.set_assignee})
    if macro.note.strip():
        labels.append(_("Internal note"))
    return labels


def scope_label(macro: Macro) -> str:
    if macro.scope == Scope.TEAM and macro.team is not None:
        return _("Team: %(team)s") % {"team": macro.team}
    return str(Scope(macro.scope).label)


def entry(macro: Macro, lang: str) -> dict[str, Any]:
    return {
        "id": macro.pk,
        "title": macro.title(lang),
        "other": macro.title("en" if lang == "zh" else "zh"),
        "scope": scope_label(macro),
        "actions": action_labels(macro),
        "preview": macro.text(lang)[:140],
    }


def picker_entries(viewer: Viewer, lang: str) -> list[dict[str, Any]]:
    """The macros ``viewer`` may apply, most used first; titles in the reader's ``lang``."""
    return [entry(macro, lang) for macro in usable_macros(viewer)]
