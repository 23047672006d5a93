"""Sign-in, password reset, two-factor and single sign-on pages (included before the admin, so
the admin's sign-in page gets the same steps and throttling)."""

from django.urls import path
from django.views.generic import RedirectView

from kefu.accounts import invite, oidc, reset, signin, subaccounts, twofactor

urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/code/", signin.second_factor, name="signin_code"),
    path("admin/login/", signin.admin_login),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="password_reset"),
        name="admin_password_reset",  # the admin's sign-in page links it when it exists
    ),
    path("password/reset/", reset.request_reset, name="password_reset"),
    path("password/reset/sent/", reset.reset_requested, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", reset.choose_password, name="password_reset_confirm"),
    path("password/changed/", reset.password_changed, name="password_reset_complete"),
    path("account/security/", twofactor.security, name="account_security"),
    path("account/security/codes/", twofactor.recovery_codes, name="account_recovery_codes"),
    path("invite/<uidb64>/<token>/", invite.accept_invitation, name="invite_accept"),
    path("invite/done/", invite.invitation_accepted, name="invite_accepted"),
    path("portal/team/", subaccounts.sub_accounts, name="sub_accounts"),
    path(
        "portal/team/<int:account_id>/scopes/", subaccounts.change_scopes, name="sub_account_scopes"
    ),
    path("portal/team/<int:account_id>/active/", subaccounts.set_active, name="sub_account_active"),
    path("oidc/authenticate/", oidc.SSOStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.SSOCallbackView.as_view(), name="oidc_authentication_callback"),
]
