"""Reads of people, sub-accounts and tokens."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kefu.accounts import token_cache
from kefu.accounts.access import USER_PROFILES, Viewer, may_create_ticket
from kefu.accounts.actions import TOKEN_PREFIX, token_digest
from kefu.accounts.models import Account, ApiToken, Team, User
from kefu.errors import NotFound
from kefu.lib.process_cache import ProcessCache


def live_token(token: str, *, purposes: tuple[str, ...]) -> ApiToken | None:
    """The unrevoked token of an active user matching ``token``, if any (read at most once a
    second per process: ``token_cache``)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = token_digest(token)
    found = token_cache.read(digest, lambda: _live_token(digest))
    return found if found is not None and found.purpose in purposes else None


def _live_token(digest: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related(*(f"user__{p}" for p in USER_PROFILES))
        .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def sub_accounts(viewer: Viewer) -> QuerySet[Account]:
    """The sub-accounts of the viewer's organisation (none for anyone but a customer)."""
    if viewer.account is None:
        return Account.objects.none()
    return (
        Account.objects.filter(organization_id=viewer.account.organization_id, is_main=False)
        .select_related("user")
        .order_by("user__email")
    )


def managed_sub_account(viewer: Viewer, account_id: int) -> Account:
    """One of ``sub_accounts``, or NotFound (another organisation's, or the main account)."""
    account = sub_accounts(viewer).filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


# The desk's customer search shows this many people; a longer query narrows it.
CUSTOMER_RESULTS = 20


def _customers(viewer: Viewer) -> QuerySet[User]:
    if not (viewer.is_agent and may_create_ticket(viewer, None)):
        return User.objects.none()
    return User.objects.filter(agent__isnull=True, is_active=True).select_related(
        "account__organization"
    )


def customer_by_id(viewer: Viewer, user_id: int) -> User | None:
    """One customer or contact the agent may open a ticket for (see ``find_customers``)."""
    return _customers(viewer).filter(pk=user_id).first()


def find_customers(viewer: Viewer, text: str) -> QuerySet[User]:
    """Customers and contacts an agent may open a ticket for, by name, email, phone or
    organisation. Staff who may not open tickets (QA) and customers find no one; staff are never
    results (a ticket is for a customer)."""
    text = text.strip()
    if not text:
        return User.objects.none()
    match = (
        Q(name__icontains=text)
        | Q(email__icontains=text)
        | Q(phone__icontains=text)
        | Q(account__organization__name__icontains=text)
        | Q(account__organization__code__iexact=text)
    )
    return _customers(viewer).filter(match).order_by("name", "email")[:CUSTOMER_RESULTS]


def _teams() -> list[Team]:
    return list(Team.objects.all())


# Triage names the team of most new tickets; teams are edited rarely.
_all_teams = ProcessCache(_teams, forget_on=[Team])


def team_by_code(code: str) -> Team | None:
    return next((team for team in _all_teams.get() if team.code == code), None)
