from django.urls import path

from kefu.contacts import views

urlpatterns = [
    path("portal/stores/", views.directory, name="store_contacts"),
    path("portal/stores/<int:contact_id>/", views.edit, name="store_contact_edit"),
    path("portal/stores/<int:contact_id>/remove/", views.remove, name="store_contact_remove"),
    path(
        "desk/organisations/<int:organization_id>/stores/",
        views.desk_directory,
        name="desk_store_contacts",
    ),
    path("desk/stores/<int:contact_id>/", views.desk_edit, name="desk_store_contact_edit"),
]
