"""Password reset by email, on Django's views.

The link carries Django's signed token (PasswordResetTokenGenerator): it expires after
PASSWORD_RESET_TIMEOUT and stops working once the password changes, so it works once. Every
address gets the same answer and page, known or not; only a known, active account with a
password gets a mail. Links point at KEFU_SITE_URL, never at the request's Host header, which a
sender can forge to harvest tokens.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from kefu.accounts.forms import KefuSetPasswordForm, QueuedPasswordResetForm

request_reset = auth_views.PasswordResetView.as_view(
    form_class=QueuedPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    subject_template_name="accounts/password_reset_subject.txt",
    email_template_name="accounts/password_reset_email.txt",
    html_email_template_name="accounts/password_reset_email.html",
    success_url=reverse_lazy("password_reset_done"),
)
reset_requested = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
choose_password = auth_views.PasswordResetConfirmView.as_view(
    form_class=KefuSetPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)
password_changed = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
