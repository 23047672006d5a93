"""Invitations of sub-accounts: the mail with a signed link, and the page where the invitee
chooses a password.

The link carries a token from ``InviteTokenGenerator``, Django's password-reset signer with its
own salt (a reset token cannot be used as an invitation, nor the reverse) and its own lifetime
(``INVITE_TIMEOUT``, a week: an invitation waits longer than a reset). The signed value includes
the password hash, so once the invitee has chosen a password the link stops working: one use.
Links point at KEFU_SITE_URL, never at the request's Host header.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from kefu.accounts.forms import KefuSetPasswordForm
from kefu.accounts.mail import queue_account_mail
from kefu.accounts.models import Account, User

INVITE_TIMEOUT = timedelta(days=7)


class InviteTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "kefu.accounts.invite.InviteTokenGenerator"

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        if not (user and token) or user.has_usable_password() or not user.is_active:
            return False
        try:
            stamp, _signature = token.split("-")
            issued = base36_to_int(stamp)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            expected = self._make_token_with_timestamp(user, issued, secret)
            if constant_time_compare(expected, token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - issued
        return 0 <= age <= INVITE_TIMEOUT.total_seconds()


invite_tokens = InviteTokenGenerator()


def invitation_link(user: User) -> str:
    path = reverse(
        "invite_accept",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": invite_tokens.make_token(user)},
    )  # fmt: skip
    return settings.SITE_URL.rstrip("/") + path


def queue_invitation(*, account: Account, invited_by: User) -> None:
    """The invitation mail, in the invitee's language, queued in the outbox."""
    user = account.user
    context = {
        "user": user,
        "organization": account.organization.name,
        "invited_by": invited_by.name or invited_by.email,
        "link": invitation_link(user),
        "days": INVITE_TIMEOUT.days,
    }
    with translation.override(user.language):
        subject = " ".join(render_to_string("accounts/invite_subject.txt", context).split())
        text = render_to_string("accounts/invite_email.txt", context)
        html = render_to_string("accounts/invite_email.html", context)
    queue_account_mail(to=user.email, subject=subject, text=text, html=html)


accept_invitation = auth_views.PasswordResetConfirmView.as_view(
    form_class=KefuSetPasswordForm,
    token_generator=invite_tokens,
    template_name="accounts/invite_accept.html",
    success_url=reverse_lazy("invite_accepted"),
    reset_url_token="set-password",
)
invitation_accepted = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/invite_accepted.html"
)
