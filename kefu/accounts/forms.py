"""Forms of the sign-in pages (second-factor codes, the password reset that queues its mail) and
of the main account's sub-account management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu import ratelimit
from kefu.accounts import actions
from kefu.accounts.mail import queue_account_mail
from kefu.accounts.models import Account, User

CODE_ATTRS = {"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Authentication code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )


class EnrolForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form (the same answer whether or not the address has an account), with the
    mail written in the account's own language and queued in the outbox, not sent in the
    request. Requests are limited per client address and per address asked for
    (``password_reset.ip``, ``password_reset.email``); over a limit nothing is sent and the
    answer stays the same, so neither a mailbox can be flooded nor an account revealed."""

    def save(self, *args: Any, **kwargs: Any) -> None:  # Django's view passes keywords only
        request: HttpRequest | None = kwargs.get("request")
        address = request.META.get("REMOTE_ADDR", "") if request else ""
        try:
            ratelimit.guard("password_reset", address=address, email=self.cleaned_data["email"])
        except ratelimit.RateLimited:
            return
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user: User = context["user"]
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        with translation.override(user.language):
            subject = " ".join(render_to_string(subject_template_name, context).split())
            text = render_to_string(email_template_name, context)
            html = (
                render_to_string(html_email_template_name, context)
                if html_email_template_name
                else ""
            )
        queue_account_mail(to=to_email, subject=subject, text=text, html=html)


class KefuSetPasswordForm(SetPasswordForm):
    """Django's checks (the validators in AUTH_PASSWORD_VALIDATORS), Kefu's writer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs["autofocus"] = True

    def save(self, commit: bool = True) -> Any:
        return actions.set_password(user=self.user, password=self.cleaned_data["new_password1"])


SCOPE_HELP = {
    Account.Scope.CREATE_TICKETS: _("May open new tickets for the organisation."),
    Account.Scope.VIEW_ORG_TICKETS: _("Sees every ticket of the organisation, payments included."),
    Account.Scope.ORDER_TICKETS: _(
        "Sees tickets about orders, shipping and after-sales, but not payment tickets."
    ),
    Account.Scope.BILLING_TICKETS: _("Sees and opens payment, billing and invoice tickets."),
}


class ScopesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=Account.Scope.choices,
            required=False,
            label=_("Permissions"),
            error_messages={"invalid_choice": _("“%(value)s” is not a permission.")},
            **kwargs,
        )


class InviteSubAccountForm(forms.Form):
    """What the main account types to invite a sub-account."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address to send the invitation to."),
            "invalid": _("Enter a valid email address, e.g. li.lei@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="zh-hans"
    )
    scopes = ScopesField()


class SubAccountScopesForm(forms.Form):
    scopes = ScopesField()
