"""Admin for intake: mailboxes, the audit trail of inbound mail, the quarantine and outbound mail.

Records of what happened (inbound messages, outbound mail) are read-only; the quarantine's only
editable field is the sender, which is how an admin fixes a message that had none before
re-processing it. Raw messages are shown as escaped text, never rendered.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.admin import ReadOnlyAdmin
from kefu.intake import quarantine, rawstore
from kefu.intake.models import InboundRecord, Mailbox, Outcome, Quarantine
from kefu.lib.mime_charset import decode_bytes

RAW_PREVIEW_BYTES = 1024 * 1024


class MailboxForm(forms.ModelForm):
    imap_password = forms.CharField(
        label=_("IMAP password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown. Leave empty to keep the current password."),
    )

    class Meta:
        model = Mailbox
        fields = ["code", "address", "team", "imap_host", "imap_port", "imap_ssl", "imap_user",
                  "imap_password", "imap_folder", "imap_done_folder", "poll_seconds"]  # fmt: skip

    def clean_imap_password(self) -> str:
        entered = self.cleaned_data["imap_password"]
        return entered or (self.instance.imap_password if self.instance.pk else "")


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["code", "address", "team", "imap_host", "last_polled_at", "poll_failures",
                    "short_error"]  # fmt: skip
    readonly_fields = ["uid_validity", "last_uid", "last_polled_at", "poll_failures",
                       "next_poll_at", "last_error"]  # fmt: skip
    actions = ["poll_now"]

    @admin.display(description=_("last error"))
    def short_error(self, mailbox: Mailbox) -> str:
        return mailbox.last_error[:80]

    @admin.action(description=_("Poll the selected mailboxes now"))
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        count = queryset.exclude(imap_host="").update(next_poll_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(n)s mailbox will be polled now.", "%(n)s mailboxes will be polled now.", count
            )
            % {"n": count},
        )


@admin.register(InboundRecord)
class InboundRecordAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "channel", "mailbox", "sender", "outcome", "ticket", "reason"]
    list_filter = ["channel", "outcome", "mailbox"]
    search_fields = ["external_id", "sender", "ticket__number"]
    date_hierarchy = "received_at"
    list_select_related = ["ticket"]


QUARANTINE_FIELDS = (
    "channel",
    "mailbox",
    "external_id",
    "sender",
    "subject",
    "stage",
    "reason",
    "state",
    "attempts",
    "ticket",
    "created_at",
    "resolved_at",
    "raw_link",
)


@admin.register(Quarantine)
class QuarantineAdmin(admin.ModelAdmin):
    list_display = ["created_at", "state", "channel", "mailbox", "stage", "short_reason",
                    "sender", "subject", "attempts", "ticket"]  # fmt: skip
    list_filter = ["state", "stage", "channel", "mailbox"]
    search_fields = ["sender", "subject", "external_id", "reason"]
    list_select_related = ["ticket"]
    fields = QUARANTINE_FIELDS
    actions = ["reprocess_selected", "discard_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in QUARANTINE_FIELDS if name != "sender"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("reason"))
    def short_reason(self, entry: Quarantine) -> str:
        return entry.reason[:120]

    @admin.display(description=_("raw message"))
    def raw_link(self, entry: Quarantine) -> str:
        url = reverse("admin:intake_quarantine_raw", args=[entry.pk])
        return format_html('<a href="{}">{}</a>', url, _("View the message as received"))

    def get_urls(self) -> list:
        raw = self.admin_site.admin_view(self.raw_view)
        return [path("<int:pk>/raw/", raw, name="intake_quarantine_raw"), *super().get_urls()]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(Quarantine, pk=pk)
        if not self.has_view_permission(request, entry):
            return HttpResponse(status=403)
        data = rawstore.read(entry.raw_path)  # decrypted; encrypted files are read whole
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "entry": entry,
            "title": _("Message as received"),
            "raw": decode_bytes(data[:RAW_PREVIEW_BYTES], None).text,
            "truncated": len(data) > RAW_PREVIEW_BYTES,
        }
        return TemplateResponse(request, "admin/intake/quarantine_raw.html", context)

    @admin.action(description=_("Re-process the selected messages"))
    def reprocess_selected(self, request: HttpRequest, queryset: QuerySet[Quarantine]) -> None:
        for entry in queryset.filter(state=Quarantine.State.HELD):
            result = quarantine.reprocess(entry)
            held = result.outcome == Outcome.QUARANTINED
            summary = _("%(message)s: %(outcome)s %(ticket)s %(reason)s") % {
                "message": entry.subject or entry.external_id,
                "outcome": Outcome(result.outcome).label,
                "ticket": result.ticket.number if result.ticket else "",
                "reason": result.reason if held else "",
            }
            self.message_user(request, summary, messages.WARNING if held else messages.SUCCESS)

    @admin.action(description=_("Discard the selected messages"))
    def discard_selected(self, request: HttpRequest, queryset: QuerySet[Quarantine]) -> None:
        held = list(queryset.filter(state=Quarantine.State.HELD))
        for entry in held:
            quarantine.discard(entry)
        self.message_user(
            request,
            ngettext("%(n)s message discarded.", "%(n)s messages discarded.", len(held))
            % {"n": len(held)},
        )


# WeChat's admin lives with its integration.
from kefu.intake.wechat import admin as wechat_admin  # noqa: E402, F401
