"""URL map: admin, the language switch, and the web pages."""

from django.contrib import admin
from django.urls import include, path

from partnernet.federation import views as federation_views
from partnernet.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("partnernet.api.urls")),
    path("framework/", include("partnernet.framework.urls")),
    path("impact/", include("partnernet.impact.urls")),
    path("directory/", include("partnernet.directory.urls")),
    path("partnerships/", include("partnernet.partnerships.urls")),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<slug:type_key>/<str:region_code>/", views.matrix_cell_view, name="matrix_cell"),
    path(".well-known/partnernet", federation_views.well_known, name="well-known-partnernet"),
    path("federation/", include("partnernet.federation.urls")),
    path("analytics/", include("partnernet.analytics.urls")),
    path("accounts/", include("partnernet.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("support/", include("partnernet.support.urls")),
]
