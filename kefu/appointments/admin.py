"""Admins define the sites visitors come to and each site's weekly opening windows (cut into
bookable slots with a capacity); bookings are decided on their ticket in the desk (so the
customer is mailed), and the admin only lists them."""

from django.contrib import admin

from kefu.appointments.models import Booking, OpeningWindow, Site


class OpeningWindowInline(admin.TabularInline):
    model = OpeningWindow
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "calendar", "active"]
    list_filter = ["active"]
    search_fields = ["name", "address"]
    inlines = [OpeningWindowInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["ticket", "topic", "site", "slot", "status", "confirm_due_at", "breached_at"]
    list_filter = ["status", "site"]
    search_fields = ["ticket__number", "topic", "place"]
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
