"""``/api/v1/store-contacts``: an organisation's store contact directory (关联负责人). Customers
read their own organisation's (the main account edits it); staff name the organisation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from kefu.accounts.access import Viewer, request_viewer
from kefu.accounts.models import Organization
from kefu.contacts import actions, queries
from kefu.contacts.schemas import OrganizationCode, Search, StoreContactIn, StoreContactOut
from kefu.errors import Invalid, NotFound
from kefu.schemas import errors
from kefu.validation import Id

router = Router(tags=["store contacts"])


class DirectoryParams(Schema):
    organization: OrganizationCode = ""
    q: Search = Field("", description="Words to find in store, name, phone, email, WeChat, QQ")


def _organization(viewer: Viewer, code: str) -> Organization:
    """The customer's own organisation; for staff the one named (a name is needed)."""
    if viewer.account is not None:
        if code and code != viewer.account.organization.code:
            raise NotFound(field="organization")
        return viewer.account.organization
    if not (viewer.is_agent or viewer.system):
        raise NotFound(field="organization")
    if not code:
        raise Invalid(_("Name the organisation by its account id."), field="organization")
    found = Organization.objects.filter(code=code).first()
    if found is None:
        raise NotFound(field="organization")
    return found


@router.get(
    "/store-contacts",
    response={200: list[StoreContactOut], **errors(404)},
    summary="An organisation's store contacts",
)
def directory(request: HttpRequest, params: Query[DirectoryParams]) -> list[StoreContactOut]:
    viewer = request_viewer(request)
    organization = _organization(viewer, params.organization)
    found = queries.organization_contacts(viewer, organization.pk).select_related("organization")
    found = queries.search(found, params.q)
    return [StoreContactOut.of(contact) for contact in found]


@router.post(
    "/store-contacts",
    response={201: StoreContactOut, **errors(403, 404)},
    summary="Add a store contact (the main account, or staff)",
)
def add(request: HttpRequest, payload: StoreContactIn) -> Status:
    viewer = request_viewer(request)
    organization = _organization(viewer, payload.organization)
    contact = actions.add_contact(viewer=viewer, organization=organization, fields=payload.fields())
    return Status(201, StoreContactOut.of(contact))


@router.put(
    "/store-contacts/{contact_id}",
    response={200: StoreContactOut, **errors(403)},
    summary="Change a store contact",
)
def change(request: HttpRequest, contact_id: Path[Id], payload: StoreContactIn) -> StoreContactOut:
    contact = actions.change_contact(
        viewer=request_viewer(request), contact_id=contact_id, fields=payload.fields()
    )
    return StoreContactOut.of(contact)


@router.delete(
    "/store-contacts/{contact_id}",
    response={204: None, **errors(403)},
    summary="Remove a store contact",
)
def remove(request: HttpRequest, contact_id: Path[Id]) -> Status:
    actions.remove_contact(viewer=request_viewer(request), contact_id=contact_id)
    return Status(204, None)
