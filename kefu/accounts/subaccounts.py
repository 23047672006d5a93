"""The portal page where an organisation's main account manages its sub-accounts: invite by
email, change what each may see and do, deactivate and reactivate. Thin: the rules (only the
main account, only its own organisation's sub-accounts, every change audited) live in
``actions``; sub-accounts get 403, another organisation's account 404. A form that breaks a rule
is answered 422 with the reason on its field."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts import actions, queries
from kefu.accounts.access import Viewer
from kefu.accounts.forms import SCOPE_HELP, InviteSubAccountForm, SubAccountScopesForm
from kefu.errors import Forbidden, Invalid
from kefu.tickets.views.common import customer_required

INVALID = 422


def _invite_form(data: QueryDict | None = None) -> InviteSubAccountForm:
    """The invitation defaults to the language the page is read in."""
    language = "zh-hans" if (get_language() or "").startswith("zh") else "en"
    return InviteSubAccountForm(data, initial={"language": language})


def _main_only(viewer: Viewer) -> None:
    try:
        actions.require_main_account(viewer)
    except Forbidden as error:
        raise PermissionDenied(str(error.message)) from error


def _page(
    request: HttpRequest,
    invite: InviteSubAccountForm,
    failed: tuple[int, SubAccountScopesForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    rows = []
    for account in queries.sub_accounts(viewer):
        form = SubAccountScopesForm(initial={"scopes": account.scopes}, prefix=f"a{account.pk}")
        if failed and failed[0] == account.pk:
            form = failed[1]
        rows.append((account, form))
    context = {
        "rows": rows,
        "invite": invite,
        "scope_help": [(str(value), help) for value, help in SCOPE_HELP.items()],
    }
    return render(request, "accounts/sub_accounts.html", context, status=status)


@customer_required
def sub_accounts(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    _main_only(viewer)
    invite = _invite_form(request.POST or None)
    if request.method != "POST":
        return _page(request, invite)
    if invite.is_valid():
        data = invite.cleaned_data
        try:
            account = actions.invite_sub_account(
                viewer=viewer, email=data["email"], name=data["name"],
                scopes=data["scopes"], language=data["language"],
            )  # fmt: skip
        except Invalid as error:
            invite.add_error(
                error.field if error.field in invite.fields else None, str(error.message)
            )
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works once, for a week.")
                % {"email": account.user.email},
            )
            return redirect("sub_accounts")
    messages.error(request, _("Nobody was invited: correct the fields marked in red."))
    return _page(request, invite, status=INVALID)


@require_POST
@customer_required
def change_scopes(request: HttpRequest, account_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    _main_only(viewer)
    account = queries.managed_sub_account(viewer, account_id)  # another organisation's: 404
    form = SubAccountScopesForm(request.POST, prefix=f"a{account.pk}")
    if not form.is_valid():
        messages.error(
            request, _("The permissions are not saved: correct the fields marked in red.")
        )
        invite = _invite_form()
        return _page(request, invite, failed=(account.pk, form), status=INVALID)
    actions.change_sub_account_scopes(
        viewer=viewer, account_id=account.pk, scopes=form.cleaned_data["scopes"]
    )
    messages.success(
        request, _("The permissions of %(email)s are saved.") % {"email": account.user.email}
    )
    return redirect("sub_accounts")


@require_POST
@customer_required
def set_active(request: HttpRequest, account_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    _main_only(viewer)
    active = request.POST.get("active") == "1"
    account = actions.set_sub_account_active(viewer=viewer, account_id=account_id, active=active)
    if active:
        message = _("%(email)s can sign in again.")
    else:
        message = _("%(email)s is deactivated and signed out everywhere.")
    messages.success(request, message % {"email": account.user.email})
    return redirect("sub_accounts")
