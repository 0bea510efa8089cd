"""URL map: admin, the language switch, and the web pages."""

from django.contrib import admin
from django.urls import include, path

from partnernet.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("partnernet.api.urls")),
    path("support/", include("partnernet.support.urls")),
]
