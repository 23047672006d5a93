from django.urls import path

from kefu.tickets.views import bulk, desk, files, links, on_behalf, portal, saved

urlpatterns = [
    path("portal/", portal.portal_list, name="portal_list"),
    path("portal/new/", portal.portal_new, name="portal_new"),
    path("portal/t/<str:number>/", portal.portal_ticket, name="portal_ticket"),
    path("portal/t/<str:number>/decide/", portal.portal_decide, name="portal_decide"),
    path("desk/", desk.desk_queue, name="desk_queue"),
    path("desk/t/<str:number>/", desk.desk_ticket, name="desk_ticket"),
    path("desk/t/<str:number>/update/", desk.desk_update, name="desk_update"),
    path("desk/new/", on_behalf.desk_new, name="desk_new"),
    path("desk/next/", desk.desk_next, name="desk_next"),
    path("desk/views/", desk.desk_queue_views, name="desk_queue_views"),
    path("desk/t/<str:number>/merge/", desk.desk_merge, name="desk_merge"),
    path("desk/t/<str:number>/split/", desk.desk_split, name="desk_split"),
    path("desk/t/<str:number>/follow/", desk.desk_follow, name="desk_follow"),
    path("desk/bulk/", bulk.desk_bulk, name="desk_bulk"),
    path("desk/saved-views/", saved.desk_saved_views, name="desk_saved_views"),
    path("desk/saved-views/new/", saved.desk_save_view, name="desk_save_view"),
    path("desk/saved-views/<int:view_id>/", saved.desk_edit_view, name="desk_edit_view"),
    path("files/<int:attachment_id>/<path:filename>", files.attachment, name="attachment"),
    path("t/<str:token>/", links.ticket_link, name="ticket_link"),
]
