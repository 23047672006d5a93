"""HTML forms of the portal and the workspace. Validation mirrors the API's rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, Organization, Team, User
from kefu.contacts.actions import valid_phone
from kefu.errors import AttachmentRejected
from kefu.intake.base import TicketFields
from kefu.intake.interactive import NewContact
from kefu.intake.phone.actions import caller_address
from kefu.tickets.models import ON_BEHALF_CHANNELS, Category, Channel, Complexity, Priority, Status
from kefu.tickets.uploads import read_upload, validate_attachment

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; each is read and checked by content (JPG, PNG, PDF, ≤ 10 MB)."""

    widget = MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"})

    def clean(self, data: Any, initial: Any = None) -> list[tuple[str, bytes]]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_FILES})
        checked = []
        for upload in files:
            assert isinstance(upload, UploadedFile)
            name = upload.name or ""
            try:
                content = read_upload(name, upload)
                validate_attachment(name, content)
            except AttachmentRejected as exc:
                raise forms.ValidationError(str(exc.message)) from exc
            checked.append((name, content))
        return checked


class PortalTicketForm(forms.Form):
    """The structured template: order, problem type, what you want, by when, evidence."""

    category = forms.ModelChoiceField(
        label=_("Problem type"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("Not sure"),
    )
    order_id = forms.CharField(label=_("Order id"), max_length=64, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 6})
    )
    desired_outcome = forms.CharField(
        label=_("What you want"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_by = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = AttachmentsField(
        label=_("Evidence (JPG, PNG, PDF; up to 10 MB each)"), required=False
    )
    # Customers ask for urgency; support sets the priority (there is no priority field here).
    urgent = forms.BooleanField(
        label=_("This is urgent"),
        required=False,
        help_text=_("Support sees that you asked and sets the priority."),
    )

    def ticket_fields(self) -> TicketFields:
        """What the form says about the ticket, as the intake pipeline takes it."""
        data = self.cleaned_data
        return TicketFields(
            category=data["category"].code if data["category"] else "",
            order_id=data["order_id"],
            desired_outcome=data["desired_outcome"],
            expected_by=data["expected_by"],
            urgent=data["urgent"],
        )


class OnBehalfTicketForm(PortalTicketForm):
    """The portal's form as an agent fills it in for a customer: who (a customer found by the
    search, or a new contact) and through which channel they asked."""

    requester = forms.ModelChoiceField(
        queryset=User.objects.filter(agent__isnull=True, is_active=True),
        required=False,
        widget=forms.HiddenInput,
    )
    contact_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    contact_organization = forms.ModelChoiceField(
        label=_("Organisation (optional)"),
        queryset=Organization.objects.all(),
        required=False,
        empty_label=_("None or not known"),
    )
    channel = forms.ChoiceField(
        label=_("How the customer asked"),
        choices=[(c.value, c.label) for c in map(Channel, ON_BEHALF_CHANNELS)],
        initial=Channel.PHONE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The portal's words, as the agent reads them about the customer.
        self.fields["desired_outcome"].label = _("What the customer wants")
        self.fields["urgent"].label = _("The customer asked for urgent handling")
        self.fields["urgent"].help_text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requester") is None:
            self._check_new_contact(data)
        return data

    def _check_new_contact(self, data: dict[str, Any]) -> None:
        email, phone = data.get("contact_email") or "", data.get("contact_phone") or ""
        if not (data.get("contact_name") or "").strip():
            self.add_error("contact_name", _("Give the customer's name, or find them above."))
        if not (email or phone) and "contact_email" not in self.errors:
            self.add_error("contact_email", _("Give an email or a phone number (or both)."))
        if phone and not valid_phone(phone):
            self.add_error("contact_phone", _(
                "Enter a phone number of 6 to 20 digits, e.g. +86 138 0013 8000 or 021-5555 1234."
            ))  # fmt: skip
        if email and User.objects.filter(email__iexact=email).exists():
            self.add_error("contact_email", _("Someone with this email is known: find them above."))

    def requester_or_contact(self) -> User | NewContact:
        """The chosen customer, or the new contact to make (their number stands in for an
        email they did not give)."""
        data = self.cleaned_data
        if data["requester"] is not None:
            return data["requester"]
        phone = data["contact_phone"].strip()
        email = data["contact_email"].lower() or caller_address(phone)
        return NewContact(email=email, name=data["contact_name"].strip(), phone=phone)


# "Submit and set status": where a reply usually leaves the ticket.
THEN_STATUSES = (Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.RESOLVED)


class CustomerReplyForm(forms.Form):
    """A customer's reply in the portal: text and files, nothing that changes the ticket."""

    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(label=_("Attachments"), required=False)


class ReplyForm(forms.Form):
    """An agent's reply on the desk: public or internal, with a macro and a status to set."""

    body = forms.CharField(
        label=_("Reply"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the customer)"), required=False
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False)
    # The macro chosen in the picker (kefu/static/kefu/macros.js): its changes go with the reply.
    macro = forms.IntegerField(
        required=False, min_value=1, max_value=2**53, widget=forms.HiddenInput
    )
    then_status = forms.ChoiceField(
        label=_("and set status"),
        required=False,
        choices=[("", _("keep the status")), *((s.value, s.label) for s in THEN_STATUSES)],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("macro") or data.get("then_status")
        if not (data.get("body") or "").strip() and not chosen:
            self.add_error("body", _("Write a reply."))
        return data


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    # Drives the resolution and update targets (kefu.sla policies): simple 1 working day, complex
    # 5, multi-team 7, special cases a progress update every 3 working days.
    complexity = forms.ChoiceField(
        label=_("Complexity"),
        choices=Complexity.choices,
        help_text=_("Sets the resolution target; the SLA panel shows it after saving."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=Agent.objects.exclude(role=Agent.Role.QA).select_related("user"),
        required=False,
    )
