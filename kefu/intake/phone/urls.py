from django.urls import path

from kefu.intake.phone import views

STEPS = ["incoming", "menu", "key", "order", "ticket", "hold", "agent", "dialed", "voicemail",
         "status"]  # fmt: skip

urlpatterns = [
    path(f"voice/<slug:line_code>/{step}", getattr(views, step), name=f"voice_{step}")
    for step in STEPS
]
