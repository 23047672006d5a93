"""The portal's booking form and the desk's decision forms; the rules are the actions'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.appointments.models import Site


class SiteChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.address}"


class VisitForm(forms.Form):
    """Without any site defined, the centre agrees the place; with sites, one is chosen."""

    site = SiteChoice(
        label=_("Site"),
        queryset=Site.objects.none(),
        empty_label=_("Choose a site"),
        required=False,
        help_text=_("Visits start at the beginning of one of the site's slots."),
    )
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(active=True).prefetch_related("windows")
        if not sites.exists():
            del self.fields["site"]
            return
        site_field = self.fields["site"]
        assert isinstance(site_field, SiteChoice)
        site_field.queryset = sites
        self.fields["slot"].help_text = _(
            "China Standard Time. At least 3 working days ahead, at the start of a slot."
        )
        del self.fields["place"]  # the site says where


class ArrivalForm(forms.Form):
    name = forms.CharField(label=_("Visitor's name (as on the ID)"), max_length=120)
    organization = forms.CharField(label=_("Organisation"), max_length=200)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        help_text=_("Only the last 4 characters are kept."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
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
