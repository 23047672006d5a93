"""Reads of people and tokens."""

from __future__ import annotations

from kefu.accounts.access import USER_PROFILES
from kefu.accounts.actions import TOKEN_PREFIX, token_digest
from kefu.accounts.models import ApiToken


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
