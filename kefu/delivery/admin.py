"""Every delivery, visible to admins: what was sent or is being tried, attempts, last error; the
content of each mail as the customer gets it (the demo's mail is kept here, nothing is lost)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kefu.admin import ReadOnlyAdmin
from kefu.delivery import outbox
from kefu.delivery.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "state", "kind", "target", "subject_or_event",
                    "attempts", "next_attempt_at", "short_error", "ticket"]  # fmt: skip
    list_filter = ["channel", "state", "kind"]
    search_fields = ["subject", "key", "event", "ticket__number"]
    list_select_related = ["ticket", "subscription"]
    actions = ["retry_selected"]
    fields = ["channel", "kind", "state", "key", "ticket", "from_address", "to", "subject",
              "text", "event", "subscription", "payload", "attempts", "lost_leases",
              "next_attempt_at", "last_error", "created_at", "sent_at"]  # fmt: skip

    @admin.display(description=_("to"))
    def target(self, delivery: Delivery) -> str:
        if delivery.subscription is not None:
            return delivery.subscription.url
        return ", ".join(delivery.to)

    @admin.display(description=_("subject or event"))
    def subject_or_event(self, delivery: Delivery) -> str:
        return delivery.subject or delivery.event

    @admin.display(description=_("last error"))
    def short_error(self, delivery: Delivery) -> str:
        return delivery.last_error[:80]

    @admin.action(description=_("Send the selected failed deliveries again"))
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        retried = sum(outbox.retry(delivery) for delivery in queryset)
        outbox.wake()
        self.message_user(
            request,
            ngettext("%(n)s delivery will be sent again.", "%(n)s deliveries will be sent again.",
                     retried) % {"n": retried},
        )  # fmt: skip
