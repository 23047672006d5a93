"""The portal's store contact form: the fields of ``actions.ContactFields``; the rules are the
actions' (one place), so the form only lays the fields out."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.contacts.actions import LIMITS, ContactFields
from kefu.contacts.models import Role


class StoreContactForm(forms.Form):
    store = forms.CharField(
        label=_("Store"),
        max_length=LIMITS["store"],
        help_text=_("The store or shop name, e.g. Acme Tmall flagship."),
    )
    name = forms.CharField(label=_("Contact name"), max_length=LIMITS["name"])
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=LIMITS["phone"],
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=LIMITS["email"],
        required=False,
        widget=forms.TextInput(attrs={"type": "email"}),
    )
    wechat = forms.CharField(label=_("WeChat id"), max_length=LIMITS["wechat"], required=False)
    qq = forms.CharField(
        label=_("QQ number"),
        max_length=LIMITS["qq"],
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=LIMITS["notes"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def contact_fields(self) -> ContactFields:
        return ContactFields(**self.cleaned_data)
