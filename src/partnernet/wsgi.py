"""WSGI entry point used by ``partnernet serve`` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
application = get_wsgi_application()
