"""Reads of archived tickets, scoped like live ones: staff by team (admins and QA all),
customers by organisation and by the sub-account's scopes (``accounts.access``'s matrix, read
from the snapshot's order id and category: their own tickets, the organisation's order tickets
or its billing tickets, or all of them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from kefu.accounts.access import Viewer, account_scope
from kefu.accounts.models import Account
from kefu.archive.models import ArchivedTicket
from kefu.tickets.models import Category


def visible(viewer: Viewer) -> QuerySet[ArchivedTicket]:
    rows = ArchivedTicket.objects.all()
    if viewer.sees_all_tickets:
        return rows
    if viewer.agent is not None:
        return rows.filter(Q(team_id__in=viewer.team_ids) | Q(assignee_id=viewer.agent.pk))
    account = viewer.account
    if account is not None:
        return rows.filter(organization_id=account.organization_id).filter(_scope(account))
    if viewer.user is not None:
        return rows.filter(requester_id=viewer.user.pk)
    return rows.none()


def _scope(account: Account) -> Q:
    """``accounts.access``'s sub-account scopes, on the snapshot's fields."""
    return account_scope(
        account,
        names_an_order=Q(snapshot__ticket__order_id__gt=""),
        in_categories=lambda codes: Q(snapshot__ticket__category_id__in=_category_ids(codes)),
    )


def _category_ids(codes: Iterable[str]) -> list[int]:
    return list(Category.objects.filter(code__in=codes).values_list("pk", flat=True))


def search(viewer: Viewer, text: str) -> QuerySet[ArchivedTicket]:
    rows = visible(viewer)
    if text:
        rows = rows.filter(Q(number=text.strip().upper()) | Q(subject__icontains=text.strip()))
    return rows.order_by("-created_at")


def find(viewer: Viewer, number: str) -> ArchivedTicket | None:
    return visible(viewer).filter(number=number).first()
