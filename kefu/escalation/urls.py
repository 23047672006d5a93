from django.urls import path

from kefu.escalation import qa_views, views

urlpatterns = [
    path("portal/t/<str:number>/nudge/", views.portal_nudge, name="portal_nudge"),
    path("portal/t/<str:number>/complaint/", views.portal_complaint, name="portal_complaint"),
    path("desk/qa/", qa_views.qa_queue, name="qa_queue"),
    path("desk/qa/<int:review_id>/", qa_views.qa_review, name="qa_review"),
    path("desk/qa/<int:review_id>/act", qa_views.qa_act, name="qa_act"),
]
