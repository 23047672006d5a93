"""API shapes of the store contact directory."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from kefu.contacts.actions import LIMITS, ContactFields
from kefu.contacts.models import Role, StoreContact

Short = Annotated[str, StringConstraints(max_length=LIMITS["name"])]  # store and name: 120
Phone = Annotated[str, StringConstraints(max_length=LIMITS["phone"])]
Email = Annotated[str, StringConstraints(max_length=LIMITS["email"])]
WeChatId = Annotated[str, StringConstraints(max_length=LIMITS["wechat"])]
QQ = Annotated[str, StringConstraints(max_length=LIMITS["qq"])]
Notes = Annotated[str, StringConstraints(max_length=LIMITS["notes"])]
Search = Annotated[str, StringConstraints(max_length=100)]
OrganizationCode = Annotated[str, StringConstraints(max_length=40)]


class StoreContactIn(Schema):
    store: Short
    name: Short
    role: Role = Role.OPERATIONS
    phone: Phone = ""
    email: Email = ""
    wechat: WeChatId = ""
    qq: QQ = ""
    notes: Notes = ""
    organization: OrganizationCode = Field(
        "", description="Staff only: the organisation's account id (customers: their own)"
    )

    def fields(self) -> ContactFields:
        return ContactFields(
            store=self.store,
            name=self.name,
            role=self.role,
            phone=self.phone,
            email=self.email,
            wechat=self.wechat,
            qq=self.qq,
            notes=self.notes,
        )


class StoreContactOut(Schema):
    id: int
    organization: str
    store: str
    name: str
    role: str
    phone: str
    email: str
    wechat: str
    qq: str
    notes: str
    updated_at: datetime

    @classmethod
    def of(cls, contact: StoreContact) -> StoreContactOut:
        return cls(
            id=contact.pk,
            organization=contact.organization.code,
            store=contact.store,
            name=contact.name,
            role=contact.role,
            phone=contact.phone,
            email=contact.email,
            wechat=contact.wechat,
            qq=contact.qq,
            notes=contact.notes,
            updated_at=contact.updated_at,
        )
