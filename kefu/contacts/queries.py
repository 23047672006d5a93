"""Reads of the store contact directory, scoped by organisation: a customer sees their own
organisation's contacts only (another organisation's are "not found"); staff see any
organisation's, as they see its tickets' customer panel."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from kefu.accounts.access import Viewer
from kefu.contacts.models import StoreContact
from kefu.errors import NotFound
from kefu.validation import MAX_ID


def visible_contacts(viewer: Viewer) -> QuerySet[StoreContact]:
    if viewer.is_agent or viewer.system:
        return StoreContact.objects.all()
    if viewer.account is not None:
        return StoreContact.objects.filter(organization_id=viewer.account.organization_id)
    return StoreContact.objects.none()


def organization_contacts(viewer: Viewer, organization_id: int | None) -> QuerySet[StoreContact]:
    """One organisation's directory, by store (empty when the viewer may not see it)."""
    if organization_id is None:
        return StoreContact.objects.none()
    return visible_contacts(viewer).filter(organization_id=organization_id)


SEARCH_LIMIT = 100  # characters of a search kept


def search(contacts: QuerySet[StoreContact], text: str) -> QuerySet[StoreContact]:
    """The contacts whose store, name, phone, email, WeChat id or QQ number contain every word of
    ``text`` (case-insensitive); a phone matches with or without its spaces and dashes."""
    words = text[:SEARCH_LIMIT].split()
    if not words:
        return contacts
    compact: F | Replace = F("phone")
    for separator in (" ", "-", "(", ")"):
        compact = Replace(compact, Value(separator), Value(""))
    contacts = contacts.annotate(phone_digits=compact)
    for word in words:
        digits = "".join(ch for ch in word if ch.isdigit())
        match = (
            Q(store__icontains=word)
            | Q(name__icontains=word)
            | Q(phone__icontains=word)
            | Q(phone_digits__icontains=word)
            | Q(email__icontains=word)
            | Q(wechat__icontains=word)
            | Q(qq__icontains=word)
        )
        if len(digits) >= 3 and digits != word:
            match |= Q(phone_digits__icontains=digits) | Q(qq__icontains=digits)
        contacts = contacts.filter(match)
    return contacts


def get_contact(viewer: Viewer, contact_id: int) -> StoreContact:
    if not 1 <= contact_id <= MAX_ID:
        raise NotFound()
    found = visible_contacts(viewer).filter(pk=contact_id).first()
    if found is None:
        raise NotFound()
    return found


def may_edit(viewer: Viewer, organization_id: int | None) -> bool:
    """The organisation's main account, and staff who work tickets, edit its directory;
    sub-accounts read it."""
    if organization_id is None:
        return False
    if viewer.is_agent or viewer.system:
        return viewer.may_edit_tickets
    account = viewer.account
    return bool(account and account.is_main and account.organization_id == organization_id)
