from django.urls import path

from partnernet.directory import views

app_name = "directory"

urlpatterns = [
    path("entities/<slug:key>/edit/", views.entity_edit, name="entity_edit"),
    path("entities/<slug:key>/join/", views.entity_join, name="entity_join"),
    path("entities/<slug:key>/claim/", views.entity_claim, name="entity_claim"),
    path("join-requests/<uuid:uuid>/<str:decision>/", views.join_decide, name="join_decide"),
    path("claims/", views.claim_queue, name="claims"),
    path("claims/<uuid:uuid>/<str:decision>/", views.claim_decide, name="claim_decide"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<slug:key>/edit/", views.partner_edit, name="partner_edit"),
]
