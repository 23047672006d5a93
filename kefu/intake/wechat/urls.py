"""WeChat's server URL (one per Official Account), WeCom customer service's callback URL (one
per WeCom customer-service account) and the portal's binding page."""

from django.urls import path

from kefu.intake.wechat import portal, views, wecom_views

urlpatterns = [
    path("wechat/<slug:code>/", views.callback, name="wechat-callback"),
    path("wecom/<slug:code>/", wecom_views.callback, name="wecom-callback"),
    path("portal/wechat/", portal.wechat_binding, name="wechat_binding"),
    path("portal/wechat/<int:follower_id>/unbind/", portal.wechat_unbind, name="wechat_unbind"),
]
