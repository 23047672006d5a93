from django.urls import path

from kefu.ratings import views

urlpatterns = [
    path("portal/t/<str:number>/rating/", views.portal_rate, name="portal_rate"),
]
