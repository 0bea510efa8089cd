"""WSGI entry point used by ``partnernet serve`` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
application = get_wsgi_application()

from partnernet.base.webreads import map_sqlite_reads  # noqa: E402 (needs the apps, loaded just above)

map_sqlite_reads()


def warm_up() -> None:
    """Import the URL configuration (every view module) and build the API's schema when a worker loads the
    application, before it takes a request. Django and the API do both on first use: the first requests a
    worker answered paid about a second for them, and its threads, arriving together, built the schema side
    by side."""
    from django.urls import get_resolver

    from partnernet.api.urls import api

    get_resolver().url_patterns  # noqa: B018 (the property imports the URL modules)
    api.get_openapi_schema(path_params={})


warm_up()
