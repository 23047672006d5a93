from django.urls import path

from kefu.macros import views

urlpatterns = [
    path("desk/macros/", views.macro_list, name="macro_list"),
    path("desk/macros/new/", views.macro_edit, name="macro_new"),
    path("desk/macros/<int:macro_id>/", views.macro_edit, name="macro_edit"),
    path("desk/macros/<int:macro_id>/delete/", views.macro_delete, name="macro_delete"),
    path("desk/macros/<int:macro_id>/render/", views.macro_render, name="macro_render"),
]
