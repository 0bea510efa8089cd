from django.urls import path

from partnernet.federation import views

urlpatterns = [
    path("feed", views.feed, name="federation-feed"),
    path("inbox", views.inbox, name="federation-inbox"),
    path("peers/", views.peers_page, name="federation-peers"),
    path("peers/<int:pk>/<str:action>", views.peer_action, name="federation-peer-action"),
    path("partners/<str:wikidata>/", views.partner_page, name="federation-partner"),
]
