"""The portal's phone PIN page: a customer sets the PIN that, with their phone account id,
verifies them when they call from a number that is not registered. The PIN is stored only as a
hash and never shown again; a PIN that breaks the rule is a 422 with the rule, in their language.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.errors import Invalid
from kefu.intake.phone import actions
from kefu.intake.phone.models import PhonePin
from kefu.tickets.views.common import customer_required


@customer_required
@require_http_methods(["GET", "POST"])
def phone_pin(request: HttpRequest) -> HttpResponse:
    user = request.viewer.user  # type: ignore[attr-defined]
    pin = PhonePin.objects.filter(user=user).first()
    error = ""
    if request.method == "POST":
        first, again = request.POST.get("pin", ""), request.POST.get("pin_again", "")
        try:
            if first != again:
                raise Invalid(_("The two PINs differ."), field="pin_again")
            actions.set_pin(user=user, pin=first)
        except Invalid as refused:
            error = str(refused.message)
        else:
            messages.success(request, _("Your phone PIN is set."))
            return redirect("portal_phone_pin")
    context = {"pin": pin, "error": error}
    return render(request, "phone/portal_pin.html", context, status=422 if error else 200)
