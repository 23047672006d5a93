from django.urls import path

from kefu.intake.phone import desk, views

STEPS = ["incoming", "menu", "key", "order", "ticket", "account", "pin", "join", "hold", "agent",
         "dialed", "voicemail", "status"]  # fmt: skip

urlpatterns = [
    path(f"voice/<slug:line_code>/{step}", getattr(views, step), name=f"voice_{step}")
    for step in STEPS
]

urlpatterns += [
    path("desk/callbacks/", desk.callbacks, name="desk_callbacks"),
    path("desk/callbacks/<int:task_id>/done/", desk.callback_done, name="desk_callback_done"),
]
