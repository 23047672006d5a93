from django.urls import path

from kefu.tickets.views import desk, files, links, portal

urlpatterns = [
    path("portal/", portal.portal_list, name="portal_list"),
    path("portal/new/", portal.portal_new, name="portal_new"),
    path("portal/t/<str:number>/", portal.portal_ticket, name="portal_ticket"),
    path("portal/t/<str:number>/decide/", portal.portal_decide, name="portal_decide"),
    path("desk/", desk.desk_queue, name="desk_queue"),
    path("desk/t/<str:number>/", desk.desk_ticket, name="desk_ticket"),
    path("desk/t/<str:number>/update/", desk.desk_update, name="desk_update"),
    path("desk/next/", desk.desk_next, name="desk_next"),
    path("desk/views/", desk.desk_queue_views, name="desk_queue_views"),
    path("desk/t/<str:number>/merge/", desk.desk_merge, name="desk_merge"),
    path("desk/t/<str:number>/split/", desk.desk_split, name="desk_split"),
    path("files/<int:attachment_id>/<path:filename>", files.attachment, name="attachment"),
    path("t/<str:token>/", links.ticket_link, name="ticket_link"),
]
