"""The only code that writes store contacts: each field checked with a message that names it
and its rule, in the reader's language; a customer's rights checked through ``queries``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer
from kefu.accounts.models import Organization
from kefu.contacts import queries
from kefu.contacts.models import Role, StoreContact
from kefu.errors import Forbidden, Invalid, NotFound

# Digits with the separators people write: +86 138 0013 8000, (021) 5555-1234, 0755-8888 6666.
PHONE = re.compile(r"^\+?[0-9()\- ]+$")
PHONE_DIGITS = (6, 20)
# WeChat's own rule for a WeChat id: 6–20 letters, digits, _ or -, starting with a letter.
WECHAT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")
# A QQ number: 5 to 11 digits, never starting with 0.
QQ_NUMBER = re.compile(r"^[1-9][0-9]{4,10}$")
LIMITS = {
    "store": 120,
    "name": 120,
    "phone": 32,
    "email": 254,
    "wechat": 20,
    "qq": 11,
    "notes": 500,
}


@dataclass(frozen=True)
class ContactFields:
    store: str
    name: str
    role: str = Role.OPERATIONS
    phone: str = ""
    email: str = ""
    wechat: str = ""
    qq: str = ""
    notes: str = ""

    def cleaned(self) -> ContactFields:
        values = {name: str(getattr(self, name)).strip() for name in LIMITS}
        return ContactFields(role=self.role, **values)


def check_fields(fields: ContactFields) -> ContactFields:
    """The fields as stored, or ``Invalid`` naming the first field that breaks its rule."""
    fields = fields.cleaned()
    for name in ("store", "name"):
        if not getattr(fields, name):
            raise Invalid(_("This field is required."), field=name)
    for name, limit in LIMITS.items():
        if len(getattr(fields, name)) > limit:
            message = _("Use at most %(limit)d characters.") % {"limit": limit}
            raise Invalid(message, field=name)
    if fields.role not in Role.values:
        raise Invalid(_("Choose one of the roles offered."), field="role")
    if fields.phone and not valid_phone(fields.phone):
        raise Invalid(
            _("Enter a phone number of 6 to 20 digits, e.g. +86 138 0013 8000 or 021-5555 1234."),
            field="phone",
        )
    if fields.email:
        try:
            validate_email(fields.email)
        except ValidationError:
            raise Invalid(
                _("Enter a valid email address, e.g. li.lei@example.com."), field="email"
            ) from None
    if fields.wechat and not WECHAT_ID.match(fields.wechat):
        raise Invalid(
            _("A WeChat id has 6 to 20 letters, digits, _ or -, and starts with a letter."),
            field="wechat",
        )
    if fields.qq and not QQ_NUMBER.match(fields.qq):
        raise Invalid(_("A QQ number has 5 to 11 digits and does not start with 0."), field="qq")
    if not (fields.phone or fields.email or fields.wechat or fields.qq):
        raise Invalid(
            _("Give at least one way to reach this contact: phone, email, WeChat or QQ."),
            field="phone",
        )
    return fields


def valid_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return bool(PHONE.match(text)) and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]


def _check_may_edit(viewer: Viewer, organization_id: int) -> None:
    if viewer.is_customer and viewer.account and viewer.account.organization_id != organization_id:
        raise NotFound()  # another organisation's directory does not exist for this customer
    if not queries.may_edit(viewer, organization_id):
        raise Forbidden(_("Only your organisation's main account may edit its store contacts."))


def add_contact(
    *, viewer: Viewer, organization: Organization, fields: ContactFields
) -> StoreContact:
    _check_may_edit(viewer, organization.pk)
    checked = check_fields(fields)
    return StoreContact.objects.create(
        organization=organization, updated_by=viewer.user, **checked.__dict__
    )


def change_contact(*, viewer: Viewer, contact_id: int, fields: ContactFields) -> StoreContact:
    contact = queries.get_contact(viewer, contact_id)
    _check_may_edit(viewer, contact.organization_id)
    checked = check_fields(fields)
    for name, value in checked.__dict__.items():
        setattr(contact, name, value)
    contact.updated_at = timezone.now()
    contact.updated_by = viewer.user
    contact.save()
    return contact


def remove_contact(*, viewer: Viewer, contact_id: int) -> None:
    contact = queries.get_contact(viewer, contact_id)
    _check_may_edit(viewer, contact.organization_id)
    contact.delete()
