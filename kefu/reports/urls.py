from django.urls import path

from kefu.reports import views

urlpatterns = [
    path("desk/reports/", views.reports_page, name="reports"),
    path("desk/reports/export", views.reports_export, name="reports_export"),
    path("service-health/", views.service_health_page, name="service_health"),
]
