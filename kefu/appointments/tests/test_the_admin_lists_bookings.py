"""Admins see every booking in the admin, read-only (decisions are taken on the ticket)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.appointments.actions import open_booking
from kefu.appointments.parsing import BookingText
from kefu.testing import make_ticket


@pytest.mark.django_db
def test_the_admin_lists_bookings_read_only(personas, admin_client):
    ticket = make_ticket(personas.anna, subject="【线下服务预约】Training")
    slot = datetime(2027, 3, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    booking = open_booking(ticket=ticket, request=BookingText(slot, "", "Training"))
    listing = admin_client.get("/admin/appointments/booking/")
    assert listing.status_code == 200 and ticket.number in listing.content.decode()
    assert admin_client.get(f"/admin/appointments/booking/{booking.pk}/change/").status_code == 200
    assert admin_client.get("/admin/appointments/booking/add/").status_code == 403
