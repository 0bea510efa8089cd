from django.urls import path

from partnernet.framework import views

app_name = "framework"

urlpatterns = [
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<slug:key>", views.proposal_detail, name="proposal"),
    path("rules/", views.rules, name="rules"),
    path("terms/", views.terms, name="terms"),
    path("terms/<slug:subject>/<slug:key>/", views.term_labels, name="term_labels"),
    path("history/", views.history, name="history"),
    path("history/<int:number>", views.version_detail, name="version"),
]
