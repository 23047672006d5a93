from django.contrib import admin

from kefu.tickets.models import Attachment, Category, Message, Ticket, TicketEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "team", "is_active", "sort_order"]
    list_editable = ["team", "is_active", "sort_order"]


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    fields = readonly_fields = ("author", "author_role", "is_internal", "body", "created_at")


class EventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = readonly_fields = ("created_at", "actor", "kind", "field", "old", "new")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "organization", "category", "priority", "status", "team"]
    list_filter = ["status", "priority", "channel", "category", "team"]
    search_fields = ["number", "subject", "order_id"]
    raw_id_fields = ["requester", "related_to", "merged_into"]
    readonly_fields = ["number", "created_at", "updated_at"]
    inlines = [MessageInline, EventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Ticket changes go through the workspace so that every change writes its event.
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "ticket", "content_type", "size", "created_at"]
    raw_id_fields = ["ticket", "message", "uploaded_by"]
