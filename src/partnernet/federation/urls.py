from django.urls import path

from partnernet.federation import views

urlpatterns = [
    path("feed", views.feed, name="federation-feed"),
    path("inbox", views.inbox, name="federation-inbox"),
    path("peers/", views.peers_page, name="federation-peers"),
    path("partners/<str:wikidata>/", views.partner_page, name="federation-partner"),
]
