"""The store contact directory's pages. In the portal the main account adds, edits and removes
contacts and sub-accounts read them; on the desk agents search an organisation's contacts (by
store, name, phone, email) and, when they may edit tickets, add and edit them. Thin: the rules
live in ``actions``."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.access import Viewer
from kefu.accounts.models import Organization
from kefu.contacts import actions, queries
from kefu.contacts.forms import StoreContactForm
from kefu.contacts.models import StoreContact
from kefu.errors import Forbidden, Invalid, KefuError
from kefu.tickets.views.common import agent_required, customer_required, flash_error


def _organization_id(viewer: Viewer) -> int:
    assert viewer.account is not None  # customer_required
    return viewer.account.organization_id


def _by_store(contacts: list[StoreContact]) -> list[tuple[str, list[StoreContact]]]:
    stores: dict[str, list[StoreContact]] = {}
    for contact in contacts:
        stores.setdefault(contact.store, []).append(contact)
    return list(stores.items())


def _save(request: HttpRequest, form: StoreContactForm, contact_id: int | None) -> bool:
    """Run the action; a rule it refuses shows on its field. True when saved."""
    viewer = request.viewer  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, _("The contact is not saved: correct the fields marked in red."))
        return False
    try:
        if contact_id is None:
            organization = viewer.account.organization
            actions.add_contact(
                viewer=viewer, organization=organization, fields=form.contact_fields()
            )
        else:
            actions.change_contact(
                viewer=viewer, contact_id=contact_id, fields=form.contact_fields()
            )
    except Invalid as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        messages.error(request, _("The contact is not saved: correct the fields marked in red."))
        return False
    except KefuError as error:
        flash_error(request, error)
        return False
    return True


@customer_required
def directory(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    organization_id = _organization_id(viewer)
    editable = queries.may_edit(viewer, organization_id)
    form = StoreContactForm(request.POST or None)
    if request.method == "POST" and _save(request, form, None):
        messages.success(request, _("The contact is saved."))
        return redirect("store_contacts")
    contacts = list(queries.organization_contacts(viewer, organization_id))
    context = {
        "stores": _by_store(contacts),
        "form": form if editable else None,
        "editable": editable,
        "adding": request.method == "POST",
    }
    return render(request, "contacts/directory.html", context)


@customer_required
def edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    contact = queries.get_contact(viewer, contact_id)  # another organisation's: 404
    if not queries.may_edit(viewer, contact.organization_id):
        return redirect("store_contacts")
    initial = {name: getattr(contact, name) for name in StoreContactForm.base_fields}
    form = StoreContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save(request, form, contact.pk):
        messages.success(request, _("The contact is saved."))
        return redirect("store_contacts")
    return render(request, "contacts/edit.html", {"form": form, "contact": contact})


@require_POST
@customer_required
def remove(request: HttpRequest, contact_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    try:
        actions.remove_contact(viewer=viewer, contact_id=contact_id)
    except Forbidden as error:
        flash_error(request, error)
    else:
        messages.success(request, _("The contact is removed."))
    return redirect("store_contacts")


# The desk: agents find, add and edit an organisation's contacts from the customer panel.


def _back_ticket(request: HttpRequest) -> str:
    """The ticket the agent came from (a ticket number: letters, digits and dashes), or ""."""
    number = request.GET.get("ticket", "")[:40]
    return number if number and all(ch.isalnum() or ch == "-" for ch in number) else ""


def _desk_save(request: HttpRequest, form: StoreContactForm, save: Callable[[], object]) -> bool:
    if not form.is_valid():
        messages.error(request, _("The contact is not saved: correct the fields marked in red."))
        return False
    try:
        save()
    except Invalid as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        messages.error(request, _("The contact is not saved: correct the fields marked in red."))
        return False
    except KefuError as error:
        flash_error(request, error)
        return False
    return True


def _desk_directory_url(organization_id: int, ticket: str) -> str:
    url = reverse("desk_store_contacts", args=[organization_id])
    return f"{url}?{urlencode({'ticket': ticket})}" if ticket else url


@agent_required
def desk_directory(request: HttpRequest, organization_id: int) -> HttpResponse:
    """One organisation's directory on the desk: a search over store, name, phone and email,
    and (for agents who edit tickets) a form to add a contact."""
    viewer = request.viewer  # type: ignore[attr-defined]
    organization = get_object_or_404(Organization, pk=organization_id)
    editable = queries.may_edit(viewer, organization.pk)
    ticket = _back_ticket(request)
    form = StoreContactForm(request.POST or None)
    if request.method == "POST" and editable:

        def add() -> object:
            fields = form.contact_fields()
            return actions.add_contact(viewer=viewer, organization=organization, fields=fields)

        if _desk_save(request, form, add):
            messages.success(request, _("The contact is saved."))
            return redirect(_desk_directory_url(organization.pk, ticket))
    text = request.GET.get("q", "")[: queries.SEARCH_LIMIT].strip()
    contacts = queries.search(queries.organization_contacts(viewer, organization.pk), text)
    context = {
        "organization": organization,
        "stores": _by_store(list(contacts)),
        "form": form if editable else None,
        "editable": editable,
        "adding": request.method == "POST",
        "q": text,
        "ticket": ticket,
    }
    return render(request, "contacts/desk_directory.html", context)


@agent_required
def desk_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    viewer = request.viewer  # type: ignore[attr-defined]
    contact = queries.get_contact(viewer, contact_id)
    ticket = _back_ticket(request)
    back = _desk_directory_url(contact.organization_id, ticket)
    if not queries.may_edit(viewer, contact.organization_id):
        return redirect(back)
    if request.method == "POST" and request.POST.get("remove"):
        try:
            actions.remove_contact(viewer=viewer, contact_id=contact.pk)
        except KefuError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("The contact is removed."))
        return redirect(back)
    initial = {name: getattr(contact, name) for name in StoreContactForm.base_fields}
    form = StoreContactForm(request.POST or None, initial=initial)

    def change() -> object:
        fields = form.contact_fields()
        return actions.change_contact(viewer=viewer, contact_id=contact.pk, fields=fields)

    if request.method == "POST" and _desk_save(request, form, change):
        messages.success(request, _("The contact is saved."))
        return redirect(back)
    context = {"form": form, "contact": contact, "back": back}
    return render(request, "contacts/desk_edit.html", context)
