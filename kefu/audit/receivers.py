"""Where the audit log hears of sign-ins and admin edits.

These are Django's own hooks (auth signals, the admin's ``LogEntry``), not ticket work, so they
are signal receivers; ticket changes never are (``kefu.flow``). The admin's bulk "delete
selected" writes its log entries in one ``bulk_create`` that sends no signal, so the action is
replaced by one that records each deletion first.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Model, QuerySet
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kefu.audit.actions import record
from kefu.audit.models import Kind

ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}
# Changes of these (model, field label as the admin logs it) are permission and scope changes,
# not plain admin edits.
PERMISSION_FIELDS = {
    "agent": {"role", "teams", "user"},
    "account": {"permission scopes", "main account", "organisation"},
    "user": {"may use the admin", "superuser status", "active", "groups", "user permissions"},
    "team": {"team lead"},
    "group": {"permissions"},
}


def masked_address(text: str) -> str:
    """A failed sign-in for an unknown address keeps only a hint of it: the log holds no
    address that an erasure could not find."""
    local, at, domain = text.partition("@")
    return (local[:2] + "***" + at + domain)[:80] if at else text[:2] + "***"


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Kind.SIGN_IN, actor=user, target=f"user {user.pk}", request=request)


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from kefu.accounts.models import User

    attempted = str(credentials.get("username") or credentials.get("email") or "").strip()
    user = User.objects.filter(email__iexact=attempted).first() if attempted else None
    detail = {} if user is not None else {"attempted": masked_address(attempted)}
    target = f"user {user.pk}" if user is not None else ""
    record(Kind.SIGN_IN_FAILED, actor=user, target=target, detail=detail, request=request)


def _changed_fields(entry: LogEntry) -> set[str]:
    try:
        changes = json.loads(entry.change_message or "[]")
    except ValueError:
        return set()
    fields: set[str] = set()
    for change in changes if isinstance(changes, list) else []:
        for value in change.values() if isinstance(change, dict) else []:
            if isinstance(value, dict):
                fields.update(str(f).lower() for f in value.get("fields", []))
    return fields


# Rows that stand for a person: their text (name, address) stays out of the append-only log.
PERSON_MODELS = {"user", "account", "agent", "chatsession"}


def _target(app_label: str, model: str, object_id: Any, text: str) -> str:
    shown = "" if model in PERSON_MODELS else f" {text}"
    return f"{app_label}.{model}:{object_id}{shown}"[:200]


def _kind_of(entry: LogEntry) -> Kind:
    model = entry.content_type.model if entry.content_type else ""
    if model == "apitoken" and "revoked at" in _changed_fields(entry):
        return Kind.TOKEN_REVOKED
    watched = PERMISSION_FIELDS.get(model, set())
    if watched and (entry.action_flag != CHANGE or _changed_fields(entry) & watched):
        return Kind.PERMISSION_CHANGED
    return Kind.ADMIN_EDIT


def on_admin_log(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    app, model = (content_type.app_label, content_type.model) if content_type else ("?", "?")
    record(
        _kind_of(instance),
        actor=instance.user,
        target=_target(app, model, instance.object_id, instance.object_repr),
        detail={"action": ACTIONS.get(instance.action_flag, "?"),
                "changes": instance.get_change_message()},
    )  # fmt: skip


@admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
def audited_delete_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Model]
) -> Any:
    if request.POST.get("post") and queryset.count() > 1:
        meta = queryset.model._meta
        for obj in queryset:
            record(Kind.ADMIN_EDIT, target=_target(meta.app_label, meta.model_name or "", obj.pk,
                                                   str(obj)),
                   detail={"action": "deleted", "changes": ""}, request=request)  # fmt: skip
    return delete_selected(modeladmin, request, queryset)


def connect() -> None:
    user_logged_in.connect(on_sign_in, dispatch_uid="kefu-audit-sign-in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="kefu-audit-sign-in-failed")
    post_save.connect(on_admin_log, sender=LogEntry, dispatch_uid="kefu-audit-admin-log")
    admin.site.add_action(audited_delete_selected, "delete_selected")
