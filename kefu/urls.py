from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kefu import views
from kefu.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("kefu.accounts.urls")),  # sign-in pages, before the admin's own
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("help/", include("kefu.knowledge.urls")),
    path("", include("kefu.tickets.urls")),
    path("", include("kefu.macros.urls")),
    path("", include("kefu.escalation.urls")),
    path("", include("kefu.ratings.urls")),
    path("", include("kefu.intake.chat.urls")),
    path("", include("kefu.intake.wechat.urls")),
    path("", include("kefu.intake.phone.urls")),
    path("", include("kefu.notifications.urls")),
    path("", include("kefu.reports.urls")),
    path("", include("kefu.audit.urls")),
    path("", include("kefu.archive.urls")),
    path("", include("kefu.contacts.urls")),
    path("", include("kefu.appointments.urls")),
    path("", include("kefu.visitors.urls")),
]

handler400 = "kefu.error_pages.bad_request"
handler403 = "kefu.error_pages.permission_denied"
handler404 = "kefu.error_pages.not_found"
handler500 = "kefu.error_pages.server_error"
