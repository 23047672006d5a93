from django.urls import path

from kefu.appointments import views

urlpatterns = [
    path("portal/appointments/", views.portal_bookings, name="portal_bookings"),
    path(
        "portal/appointments/<int:booking_id>/cancel/",
        views.portal_cancel,
        name="portal_booking_cancel",
    ),
    path("desk/appointments/<int:booking_id>/confirm/", views.desk_confirm, name="booking_confirm"),
    path("desk/appointments/<int:booking_id>/decline/", views.desk_decline, name="booking_decline"),
    path("desk/appointments/<int:booking_id>/done/", views.desk_done, name="booking_done"),
    path("desk/appointments/<int:booking_id>/arrival/", views.desk_arrival, name="booking_arrival"),
    path("desk/appointments/<int:booking_id>/no-show/", views.desk_no_show, name="booking_no_show"),
]
