from django.urls import path

from partnernet.directory import views

app_name = "directory"

urlpatterns = [
    path("entities/<slug:key>/edit/", views.entity_edit, name="entity_edit"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<slug:key>/edit/", views.partner_edit, name="partner_edit"),
]
