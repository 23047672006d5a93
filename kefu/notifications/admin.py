from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kefu.admin import ReadOnlyAdmin
from kefu.notifications.models import Notification, Preference
from kefu.notifications.texts import notification_text


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "ticket", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "ticket__number"]
    list_select_related = ["recipient", "ticket"]

    @admin.display(description=_("text"))
    def text(self, notification: Notification) -> str:
        return notification_text(notification)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "in_app", "email"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
