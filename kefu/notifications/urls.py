from django.urls import path

from kefu.notifications import views

urlpatterns = [
    path("notifications/", views.centre, name="notifications"),
    path("notifications/badge/", views.badge, name="notification_badge"),
    path("notifications/preferences/", views.preferences, name="notification_preferences"),
]
