"""The only code that writes organisations, accounts, agents, teams and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kefu.accounts.models import Account, Agent, ApiToken, Organization, Team, User

TOKEN_PREFIX = "kefu_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(*, user: User, name: str, purpose: str = ApiToken.Purpose.USER) -> str:
    """Create a token and return it in clear; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name, purpose=purpose, prefix=token[:12], digest=token_digest(token)
    )
    return token


# last_used_at is a hint for admins; writing it on every request would cost a write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def touch_api_token(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def create_customer(
    *,
    email: str,
    organization: Organization,
    name: str = "",
    password: str | None = None,
    is_main: bool = False,
    scopes: Iterable[str] = (),
    language: str = "zh-hans",
) -> Account:
    user = User.objects.create_user(email, password, name=name, language=language)
    return Account.objects.create(
        user=user, organization=organization, is_main=is_main, scopes=sorted(set(scopes))
    )


def set_agent_status(*, agent: Agent, status: str) -> Agent:
    """Online, away or offline: who may be routed chats and tickets."""
    Agent.objects.filter(pk=agent.pk).update(status=status)
    agent.status = status
    return agent


def create_contact(*, email: str, name: str = "", language: str = "zh-hans") -> User:
    """Someone known only by address (e.g. a stranger's email); cannot sign in."""
    return User.objects.create_user(email, None, name=name[:150], language=language)


def set_account_scopes(*, account: Account, scopes: Iterable[str]) -> Account:
    """The main account decides what each sub-account may do."""
    account.scopes = sorted(set(scopes) & set(Account.Scope.values))
    account.save(update_fields=["scopes"])
    return account


@transaction.atomic
def create_agent(
    *,
    email: str,
    code: str,
    name: str = "",
    password: str | None = None,
    role: str = Agent.Role.AGENT,
    teams: Iterable[Team] = (),
    languages: Iterable[str] = ("zh", "en"),
    skills: Iterable[str] = (),
    language: str = "zh-hans",
) -> Agent:
    user = User.objects.create_user(
        email,
        password,
        name=name,
        is_staff=role == Agent.Role.ADMIN,
        is_superuser=role == Agent.Role.ADMIN,
        language=language,
    )
    agent = Agent.objects.create(
        user=user, code=code, role=role, languages=list(languages), skills=list(skills)
    )
    agent.teams.set(teams)
    return agent
