"""WeChat's server URL (one per Official Account) and the portal's binding page."""

from django.urls import path

from kefu.intake.wechat import views

urlpatterns = [
    path("wechat/<slug:code>/", views.callback, name="wechat-callback"),
]
