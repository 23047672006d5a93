"""WebSocket routes. The widget may be embedded on any site (its socket only reaches its own
chat, by secret token); the agents' console and the pages' live socket accept only this
server's origins."""

from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from kefu.delivery.consumers import LiveConsumer
from kefu.intake.chat.consumers import AgentConsumer, VisitorConsumer

websocket_urlpatterns = [
    path("ws/chat/", VisitorConsumer.as_asgi()),
    path("ws/desk/", AllowedHostsOriginValidator(AgentConsumer.as_asgi())),
    path("ws/live/", AllowedHostsOriginValidator(LiveConsumer.as_asgi())),
]
