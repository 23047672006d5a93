"""Reads of people, sub-accounts and tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.accounts.access import USER_PROFILES, Viewer
from kefu.accounts.actions import TOKEN_PREFIX, token_digest
from kefu.accounts.models import Account, ApiToken
from kefu.errors import NotFound


def live_token(token: str, *, purposes: tuple[str, ...]) -> ApiToken | None:
    """The unrevoked token of an active user matching ``token``, if any."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return (
        ApiToken.objects.select_related(*(f"user__{p}" for p in USER_PROFILES))
        .filter(
            digest=token_digest(token),
            revoked_at__isnull=True,
            purpose__in=purposes,
            user__is_active=True,
        )
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
