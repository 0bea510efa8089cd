"""REST API (Django Ninja) under /api/v1/: thin routers over the apps' selectors and services."""
