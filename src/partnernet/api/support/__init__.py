"""Support over HTTP: requests (the one router of the ``requests`` kind), routing and hostings."""

from ninja import Router

from partnernet.api.auth import READ
from partnernet.api.support import hostings, requests, routing

router = Router(tags=["support"], auth=READ)
router.add_router("", requests.router)
router.add_router("", routing.router)
router.add_router("", hostings.router)
