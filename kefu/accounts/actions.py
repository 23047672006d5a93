"""The only code that writes organisations, accounts, agents, teams, API tokens, sign-in state."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from axes.models import AccessAttempt
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kefu.accounts import token_cache
from kefu.accounts.access import Viewer
from kefu.accounts.models import Account, Agent, ApiToken, Organization, Team, User
from kefu.audit.actions import record as audit
from kefu.audit.models import Kind as Audit
from kefu.errors import Forbidden, Invalid

TOKEN_PREFIX = "kefu_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(*, user: User, name: str, purpose: str = ApiToken.Purpose.USER) -> str:
    """Create a token and return it in clear; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    created = ApiToken.objects.create(
        user=user, name=name, purpose=purpose, prefix=token[:12], digest=token_digest(token)
    )
    audit(Audit.TOKEN_CREATED, target=f"token {created.pk} {created.prefix}… of user {user.pk}",
          detail={"name": name, "purpose": purpose})  # fmt: skip
    return token


# last_used_at is a hint for admins; writing it on every request would cost a write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def touch_api_token(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token_cache.used(token.digest, now)


def revoke_api_token(*, token: ApiToken) -> None:
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True)
    if revoked.update(revoked_at=timezone.now()):
        token_cache.forget()  # refused at once here; other processes within token_cache.TTL
        audit(
            Audit.TOKEN_REVOKED, target=f"token {token.pk} {token.prefix}… of user {token.user_id}"
        )


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


def create_contact(
    *, email: str, name: str = "", phone: str = "", language: str = "zh-hans"
) -> User:
    """Someone known only by address (e.g. a stranger's email); cannot sign in."""
    return User.objects.create_user(
        email, None, name=name[:150], phone=phone[:32], language=language
    )


def set_account_scopes(*, account: Account, scopes: Iterable[str]) -> Account:
    """The main account decides what each sub-account may do."""
    before = list(account.scopes)
    account.scopes = sorted(set(scopes) & set(Account.Scope.values))
    account.save(update_fields=["scopes"])
    audit(Audit.PERMISSION_CHANGED, target=f"account {account.pk} of user {account.user_id}",
          detail={"scopes": {"old": before, "new": account.scopes}})  # fmt: skip
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


# --- Sign-in: lockouts, passwords, second factors -------------------------------------------
# The django-axes and django-otp tables belong to those libraries; Kefu writes them only here.

RECOVERY_CODES = 10


def unlock_sign_in(*, email: str = "", ip_address: str = "") -> int:
    """Forget the failed sign-ins of an account and/or a client address (an admin's unlock).
    Returns how many attempt records were cleared."""
    attempts = AccessAttempt.objects.none()
    if email:
        attempts |= AccessAttempt.objects.filter(username=email.strip().lower())
    if ip_address:
        attempts |= AccessAttempt.objects.filter(ip_address=ip_address.strip())
    count, _ = attempts.delete()
    return int(count)


def set_password(*, user: User, password: str) -> User:
    """A new password (already validated by the caller's form or command). Proving control of
    the account this way also lifts a lockout of it."""
    user.set_password(password)
    user.save(update_fields=["password"])
    unlock_sign_in(email=user.email)
    return user


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, made once so a reload shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, token: str) -> bool:
    """Turn the authenticator on if ``token`` is its current code; any older one is replaced."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def replace_recovery_codes(*, user: User) -> list[str]:
    """Ten new one-time recovery codes (the old ones stop working); shown once, by the caller."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _code_devices(user: User, token: str) -> tuple[str, QuerySet[Device]]:
    """Six digits are an authenticator code, anything else a recovery code."""
    token = "".join(token.split()).replace("-", "").lower()
    model: type[Device] = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    return token, model.objects.filter(user=user, confirmed=True)


def code_wait_seconds(*, user: User, token: str) -> int:
    """How long django-otp makes the user wait after wrong codes before it checks this one."""
    now = timezone.now()
    waits = [0]
    for device in _code_devices(user, token)[1]:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append(int((details["locked_until"] - now).total_seconds()) + 1)
    return max(waits)


def verify_second_factor(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (a recovery code is used up by this). Each device
    throttles its own failures."""
    token, devices = _code_devices(user, token)
    for device in devices:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


# --- Sub-accounts: the main account invites, scopes, deactivates and reactivates them --------


def _sub_account_of(viewer: Viewer, account_id: int) -> Account:
    """A sub-account of the viewer's organisation, which only its main account may manage;
    another organisation's account (or the main account itself) is not found."""
    from kefu.accounts.queries import managed_sub_account

    require_main_account(viewer)
    return managed_sub_account(viewer, account_id)


def require_main_account(viewer: Viewer) -> Account:
    if viewer.account is None or not viewer.account.is_main:
        raise Forbidden(_("Only your organisation's main account may manage sub-accounts."))
    return viewer.account


def _account_target(account: Account) -> str:
    return (
        f"account {account.pk} of user {account.user_id} in organisation {account.organization_id}"
    )


@transaction.atomic
def invite_sub_account(
    *, viewer: Viewer, email: str, name: str, scopes: Iterable[str], language: str
) -> Account:
    """A new sub-account with no password yet; its invitation mail carries a signed link (one
    use, ``INVITE_TIMEOUT``) where the invitee chooses one."""
    from kefu.accounts.invite import queue_invitation

    main = require_main_account(viewer)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Invalid(_("A user with this email already exists."), field="email")
    account = create_customer(
        email=email,
        organization=main.organization,
        name=name.strip(),
        scopes=set(scopes) & set(Account.Scope.values),
        language=language,
    )
    audit(Audit.ACCOUNT_INVITED, target=_account_target(account),
          detail={"scopes": account.scopes})  # fmt: skip
    queue_invitation(account=account, invited_by=main.user)
    return account


def change_sub_account_scopes(*, viewer: Viewer, account_id: int, scopes: Iterable[str]) -> Account:
    account = _sub_account_of(viewer, account_id)
    return set_account_scopes(account=account, scopes=scopes)


def set_sub_account_active(*, viewer: Viewer, account_id: int, active: bool) -> Account:
    """Deactivating signs the sub-account out everywhere (sessions and API tokens check
    ``is_active``) and keeps its tickets; reactivating lets it sign in again."""
    account = _sub_account_of(viewer, account_id)
    if User.objects.filter(pk=account.user_id, is_active=not active).update(is_active=active):
        kind = Audit.ACCOUNT_REACTIVATED if active else Audit.ACCOUNT_DEACTIVATED
        audit(kind, target=_account_target(account))
    account.user.is_active = active
    return account
