from django.contrib import admin

from kefu.contacts.models import StoreContact


@admin.register(StoreContact)
class StoreContactAdmin(admin.ModelAdmin):
    list_display = ["store", "name", "role", "organization", "phone", "email", "wechat"]
    list_filter = ["role"]
    search_fields = [
        "store",
        "name",
        "phone",
        "email",
        "wechat",
        "organization__name",
        "organization__code",
    ]
    readonly_fields = ["updated_at", "updated_by"]
