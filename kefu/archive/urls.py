from django.urls import path

from kefu.archive import views

urlpatterns = [
    path("desk/archive/", views.archive_search, name="archive_search"),
    path("archive/t/<str:number>/", views.archived_ticket, name="archived_ticket"),
    path("desk/people/", views.person_page, name="person_page"),
    path("desk/people/export", views.person_export, name="person_export"),
    path("desk/people/erase", views.person_erase, name="person_erase"),
]
