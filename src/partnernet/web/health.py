"""``/healthz`` for monitors (FORMATS.md): 200 with JSON while the database answers and is migrated, 503
otherwise; the worker's heartbeat and the last federation sync are fields of it, and ``ok`` is false when
the worker is stale. It is exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so a monitor on the
machine can ask over plain HTTP, and it never needs a login."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partnernet.base.health import database_problem, worker_state


def _federation() -> dict[str, Any]:
    from partnernet.federation.models import Peer

    peers = Peer.objects.aggregate(last=Max("last_success_at"))
    last = peers["last"]
    return {"last_sync": last.isoformat() if last else None, "peers": Peer.objects.count()}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    problem = database_problem()
    if problem is not None:
        failing = {"ok": False, "database": {"ok": False, "problem": problem}, "time": now.isoformat()}
        return JsonResponse(failing, status=503)
    worker = worker_state(now)
    body: dict[str, Any] = {
        "ok": not worker["stale"],
        "database": {"ok": True, "problem": None},
        "worker": worker,
        "federation": _federation(),
        "time": now.isoformat(),
    }
    return JsonResponse(body, status=200)
