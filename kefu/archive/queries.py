"""Reads of archived tickets, scoped like live ones: staff by team (admins and QA all),
customers by organisation and scope (sub-accounts see their own)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kefu.accounts.access import Viewer
from kefu.archive.models import ArchivedTicket


def visible(viewer: Viewer) -> QuerySet[ArchivedTicket]:
    rows = ArchivedTicket.objects.all()
    if viewer.sees_all_tickets:
        return rows
    if viewer.agent is not None:
        return rows.filter(Q(team_id__in=viewer.team_ids) | Q(assignee_id=viewer.agent.pk))
    account = viewer.account
    if account is not None:
        rows = rows.filter(organization_id=account.organization_id)
        return rows if account.is_main else rows.filter(requester_id=account.user_id)
    if viewer.user is not None:
        return rows.filter(requester_id=viewer.user.pk)
    return rows.none()


def search(viewer: Viewer, text: str) -> QuerySet[ArchivedTicket]:
    rows = visible(viewer)
    if text:
        rows = rows.filter(Q(number=text.strip().upper()) | Q(subject__icontains=text.strip()))
    return rows.order_by("-created_at")


def find(viewer: Viewer, number: str) -> ArchivedTicket | None:
    return visible(viewer).filter(number=number).first()
