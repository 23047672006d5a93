from django.contrib import admin

from kefu.webhooks.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "is_active", "failing_since", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__email"]
    exclude = ["secret"]
    readonly_fields = ["failing_since", "disabled_reason", "created_at"]
