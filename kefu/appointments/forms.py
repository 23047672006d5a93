"""The portal's booking form and the desk's decision forms; the rules are the actions'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VisitForm(forms.Form):
    slot = forms.DateTimeField(
        label=_("Requested time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("China Standard Time. At least 3 working days ahead, 09:00–18:00."),
    )
    topic = forms.CharField(
        label=_("What is the visit about"),
        max_length=180,
        help_text=_("E.g. bulk purchase talks, a dispute, training."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Which office, or leave empty for the head office."),
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(forms.Form):
    slot = forms.DateTimeField(
        label=_("Visit time (change it if you agreed another with the customer)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the customer reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
