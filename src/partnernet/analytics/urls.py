from django.urls import path

from partnernet.analytics import priority_views, views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("snapshot", views.snapshot, name="snapshot"),
    path("support/", priority_views.support_priorities_page, name="support-priorities"),
    path("export/<slug:figure>.<str:fmt>", views.export, name="export"),
    path("suggestions/<slug:type_key>/<str:region>/", views.suggestions, name="suggestions"),
    path(
        "suggestions/<slug:type_key>/<str:region>/export.<str:fmt>",
        views.suggestions_export,
        name="suggestions-export",
    ),
]
