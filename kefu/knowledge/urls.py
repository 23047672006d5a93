from django.urls import path

from kefu.knowledge.views import help

urlpatterns = [
    path("", help.help_index, name="help_index"),
    path("<slug:slug>/", help.help_article, name="help_article"),
    path("<slug:slug>/vote/", help.help_vote, name="help_vote"),
]
