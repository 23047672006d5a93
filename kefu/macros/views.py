"""The desk's macro pages: the list (searchable, with usage counts), the editor, and the JSON a
picker asks for when a macro is chosen: its reply with the placeholders filled in for the
ticket at hand, in the customer's language."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.errors import KefuError
from kefu.macros import actions, queries
from kefu.macros.forms import MacroForm
from kefu.macros.models import Macro
from kefu.macros.picker import action_labels, scope_label
from kefu.tickets.queries import get_ticket
from kefu.tickets.views.common import agent_required, flash_error, paginate

MAX_SEARCH = 100


@require_GET
@agent_required
def macro_list(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()[:MAX_SEARCH]
    page = paginate(request, queries.listed_macros(viewer, search), per_page=50)
    editable = set(
        Macro.objects.filter(queries.editable_filter(viewer)).values_list("pk", flat=True)
    )
    rows = [
        {
            "macro": m,
            "scope": scope_label(m),
            "actions": action_labels(m),
            "editable": m.pk in editable,
        }
        for m in page
    ]
    return render(
        request,
        "macros/list.html",
        {"page": page, "rows": rows, "q": search, "may_edit_tickets": viewer.may_edit_tickets},
    )


@agent_required
def macro_edit(request: HttpRequest, macro_id: int | None = None) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    macro = queries.editable_macro(viewer, macro_id) if macro_id else Macro()
    form = MacroForm(request.POST or None, instance=macro, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_macro(actor=viewer, macro=form.instance)
        except KefuError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Macro saved."))
            return redirect("macro_list")
    return render(request, "macros/edit.html", {"form": form, "macro": macro})


@require_POST
@agent_required
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    macro = queries.editable_macro(viewer, macro_id)
    try:
        actions.delete_macro(actor=viewer, macro=macro)
    except KefuError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Macro deleted."))
    return redirect("macro_list")


@require_GET
@agent_required
def macro_render(request: HttpRequest, macro_id: int) -> JsonResponse:
    """The macro's reply for one ticket, in the ticket's language, placeholders filled in."""
    viewer = request.viewer  # type: ignore[attr-defined]
    try:
        macro = queries.usable_macro(viewer, macro_id)
        ticket = get_ticket(viewer, request.GET.get("ticket", "").strip().upper()[:24])
    except KefuError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    lang = queries.reply_language(ticket)
    return JsonResponse(
        {
            "id": macro.pk,
            "title": macro.title(lang),
            "language": lang,
            "text": queries.reply_for(macro, ticket, viewer),
            "actions": action_labels(macro),
        }
    )
