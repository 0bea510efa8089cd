from django.urls import path

from partnernet.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("export.<str:fmt>", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("<slug:key>/", views.detail, name="detail"),
    path("<slug:key>/edit/", views.edit, name="edit"),
    path("<slug:key>/agreements/", views.upload_agreement, name="upload_agreement"),
    path("<slug:key>/agreements/<int:pk>/", views.agreement_file, name="agreement_file"),
]
