"""HTML forms of the portal and the workspace. Validation mirrors the API's rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, Team
from kefu.errors import AttachmentRejected
from kefu.tickets.models import Category, Complexity, Priority, Status
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
