"""Pages of the support workflow under /support/."""

from django.urls import path

from partnernet.support import public_views, views

app_name = "support"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_request, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("queue/", views.queue, name="queue"),
    path("propose/", public_views.propose, name="propose"),
    path("propose/thanks/", public_views.proposed, name="proposed"),
    path("follow/<slug:key>/<str:token>/", public_views.follow, name="follow"),
    path("entity/<slug:key>/", views.entity, name="entity"),
    path("hosting/<int:pk>/end/", views.end_hosting, name="end_hosting"),
    path("r/<slug:key>/", views.detail, name="detail"),
    path("r/<slug:key>/accept/", views.accept, name="accept"),
    path("r/<slug:key>/decline/", views.decline, name="decline"),
    path("r/<slug:key>/start/", views.start, name="start"),
    path("r/<slug:key>/resolve/", views.resolve, name="resolve"),
    path("r/<slug:key>/withdraw/", views.withdraw, name="withdraw"),
    path("r/<slug:key>/offer/", views.offer, name="offer"),
    path("r/<slug:key>/route/", views.route_again, name="route"),
    path("r/<slug:key>/host/", views.host, name="host"),
    path("r/<slug:key>/link-partner/", public_views.link_partner, name="link_partner"),
]
