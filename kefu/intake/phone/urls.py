from django.urls import path

from kefu.intake.phone import desk, portal, views

STEPS = ["incoming", "menu", "key", "order", "ticket", "account", "pin", "join", "hold", "agent",
         "dialed", "voicemail", "status"]  # fmt: skip

urlpatterns = [
    path(f"voice/<slug:line_code>/{step}", getattr(views, step), name=f"voice_{step}")
    for step in STEPS
]

urlpatterns += [
    path("desk/callbacks/", desk.callbacks, name="desk_callbacks"),
    path("desk/callbacks/<int:task_id>/done/", desk.callback_done, name="desk_callback_done"),
    path("portal/phone-pin/", portal.phone_pin, name="portal_phone_pin"),
    path("desk/calls/ringing/", desk.screen_pop, name="desk_screen_pop"),
    path("desk/calls/<int:call_id>/verify/", desk.verify_caller, name="desk_verify_caller"),
]
