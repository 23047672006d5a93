from django.contrib import admin

from kefu.appointments.models import Booking


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are decided on their ticket in the desk (so the customer is mailed); the admin
    lists them."""

    list_display = ["ticket", "topic", "slot", "status", "confirm_due_at", "breached_at"]
    list_filter = ["status"]
    search_fields = ["ticket__number", "topic", "place"]
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
