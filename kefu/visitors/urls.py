from django.urls import path

from kefu.visitors import views

urlpatterns = [
    path("status/", views.status_lookup, name="status_lookup"),
    path("status/v/<str:token>/", views.status_view, name="status_view"),
]
urlpatterns += [
    path("contact/", views.contact_form, name="contact"),
    path("contact/v/<str:token>/", views.contact_verify, name="contact_verify"),
]
