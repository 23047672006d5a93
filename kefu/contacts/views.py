"""The portal's store contact directory: the main account adds, edits and removes contacts;
sub-accounts read them. Thin: the rules live in ``actions``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.access import Viewer
from kefu.contacts import actions, queries
from kefu.contacts.forms import StoreContactForm
from kefu.contacts.models import StoreContact
from kefu.errors import Forbidden, Invalid, KefuError
from kefu.tickets.views.common import customer_required, flash_error


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
