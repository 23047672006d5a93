"""The portal's WeChat page: a customer account gets a one-time binding code and sees (and may
unbind) the WeChat followers bound to it. Only the signed-in user's own followers are listed or
changed; anyone else's is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kefu.accounts.access import may_create_ticket
from kefu.accounts.models import User
from kefu.intake.wechat import binding, inbound
from kefu.intake.wechat.models import WechatAccount, WechatFollower
from kefu.tickets.views.common import customer_required


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # ``customer_required`` let only customers in
    return request.user


def _page(request: HttpRequest, code: str = "") -> HttpResponse:
    # Only names: the accounts' secrets are not decrypted to draw this page.
    followers = (
        WechatFollower.objects.select_related("account")
        .only("openid", "bound_at", "account__name")
        .filter(user=_me(request), bound_at__isnull=False)
        .order_by("-bound_at")
    )
    context = {
        "code": code,
        "minutes": int(binding.CODE_LIFETIME.total_seconds() // 60),
        "followers": followers,
        "accounts": WechatAccount.objects.filter(is_active=True).only("name").order_by("name"),
        # A sub-account that may not file tickets would have its WeChat messages refused.
        "may_bind": may_create_ticket(request.viewer, None),  # type: ignore[attr-defined]
    }
    return render(request, "wechat/portal_binding.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def wechat_binding(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and may_create_ticket(request.viewer, None):  # type: ignore[attr-defined]
        code, _row = binding.issue_code(user=_me(request))
        return _page(request, code)  # shown once, never stored
    return _page(request)


@customer_required
@require_POST
def wechat_unbind(request: HttpRequest, follower_id: int) -> HttpResponse:
    follower = (
        WechatFollower.objects.select_related("account")
        .filter(pk=follower_id, user=_me(request), bound_at__isnull=False)
        .first()
    )
    if follower is None:
        raise Http404
    contact = inbound.contact_for(follower.account, follower.openid)
    binding.unbind(follower=follower, contact=contact)
    messages.success(request, _("The WeChat user is no longer linked to your account."))
    return redirect("wechat_binding")
