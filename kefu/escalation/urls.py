from django.urls import path

from kefu.escalation import views

urlpatterns = [
    path("portal/t/<str:number>/nudge/", views.portal_nudge, name="portal_nudge"),
    path("portal/t/<str:number>/complaint/", views.portal_complaint, name="portal_complaint"),
]
