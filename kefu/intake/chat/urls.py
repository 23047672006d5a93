from django.urls import path

from kefu.intake.chat import views

urlpatterns = [
    path("chat/widget.js", views.widget_js, name="chat_widget"),
    path("chat/upload/", views.upload, name="chat_upload"),
    path("chat/file/<str:token>/<path:filename>", views.chat_file, name="chat_file"),
    path("chat/leave/", views.leave, name="chat_leave"),
    path("demo/order/<str:order_id>/", views.demo_order, name="demo_order"),
    path("desk/chat/", views.console, name="chat_console"),
    path("desk/chat/queue.json", views.queue_json, name="chat_queue"),
    path("desk/chat/status/", views.set_status, name="chat_status"),
    path("desk/chat/<int:session_id>/history.json", views.history_json, name="chat_history"),
    path("desk/chat/<int:session_id>/panel/", views.console_panel, name="chat_panel"),
]
