"""Pages of the library under /library/."""

from django.urls import path

from partnernet.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("answer/<slug:key>/", views.answer, name="answer"),
    path("<slug:key>/", views.detail, name="detail"),
    path("<slug:key>/edit/", views.edit, name="edit"),
    path("<slug:key>/publish/", views.change_status, {"status": "published"}, name="publish"),
    path("<slug:key>/retire/", views.change_status, {"status": "retired"}, name="retire"),
    path("<slug:key>/history/", views.history, name="history"),
    path("<slug:key>/diff/", views.diff, name="diff"),
    path("<slug:key>/files/<int:index>/", views.attachment, name="attachment"),
    path("<slug:key>/helped/", views.helped, name="helped"),
]
