"""URL map: admin, the language switch, and the web pages.

The ``directory`` namespace joins the directory app's own pages with the pages the web layer composes
from several apps (an entity's page, the entity list, a partner's page): one set of addresses, each view in
its layer.
"""

from django.contrib import admin
from django.urls import include, path

from partnernet.directory import urls as directory_urls
from partnernet.federation import views as federation_views
from partnernet.i18n import views as i18n_views
from partnernet.web import directory_views, finder_views, personal_views, views

directory_pages = [
    *directory_urls.urlpatterns,  # first: "partners/new/" before "partners/<key>/"
    path("entities/", directory_views.entity_list, name="entities"),
    path("entities/<slug:key>/", directory_views.entity_detail, name="entity"),
    path("partners/<slug:key>/", directory_views.partner_detail, name="partner"),
]

admin.site.site_header = admin.site.site_title = "Partnernet"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", personal_views.me, name="personal_home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", i18n_views.set_language, name="set_language"),
    path("api/", include("partnernet.api.urls")),
    path("framework/", include("partnernet.framework.urls")),
    path("impact/", include("partnernet.impact.urls")),
    path("directory/", include((directory_pages, "directory"))),
    path("partnerships/", include("partnernet.partnerships.urls")),
    path("stewards/", include(([path("", finder_views.find_steward, name="find_steward")], "web"))),
    path("matrix/", views.matrix, name="matrix"),
    path("pick/<slug:source_name>/", views.pick, name="pick"),
    path("matrix/<slug:type_key>/<str:region_code>/", views.matrix_cell_view, name="matrix_cell"),
    path(".well-known/partnernet", federation_views.well_known, name="well-known-partnernet"),
    path("federation/", include("partnernet.federation.urls")),
    path("analytics/", include("partnernet.analytics.urls")),
    path("accounts/", include("partnernet.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("support/", include("partnernet.support.urls")),
    path("notifications/", include("partnernet.notifications.urls")),
    path("needs/", include("partnernet.sustainability.urls")),
    path("library/", include("partnernet.library.urls")),
]
