"""HTTP endpoints between instances, and the operators' peers page.

``/.well-known/partnernet`` says who this instance is; ``/federation/feed`` serves its signed change feed
(anonymous callers get what every peer gets; a request signed by a known peer adds what that peer may see);
``/federation/inbox`` takes support requests routed to this instance's stewards. Errors have the
FORMATS.md shape ``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from partnernet.base.errors import error_body
from partnernet.core.federation.feed import MAX_PAGE_ITEMS, encode_feed_page
from partnernet.core.federation.identity import well_known_document
from partnernet.core.federation.signing import decode_public_key
from partnernet.core.federation.transport import TransportError, check_request, requesting_instance
from partnernet.federation.delivery import InboxRefused, receive_delivery
from partnernet.federation.keys import KeyLost, instance_key_pair, rotations
from partnernet.federation.models import Peer
from partnernet.federation.selectors import (
    audiences_of,
    feed_slice,
    foreign_counts,
    instance_id,
    partner_across_instances,
    partners_on_several_instances,
    peers_overview,
    this_instance,
)
from partnernet.federation.trust import (
    PeerInUse,
    peer_rows,
    remember_nonce,
    remove_peer,
    resume_peer,
    suspend_peer,
)

logger = logging.getLogger("partnernet.federation")


def _error(status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


def _key_lost(exc: KeyLost) -> JsonResponse:
    """A lost signing key is the operator's to mend (restore or replace it); until then peers get a 503 in
    the error shape, and the log says what to do, rather than an HTML error page they cannot parse."""
    logger.error("%s", exc)
    return _error(503, "unavailable", "this instance's signing key is missing; its operator has been told")


@require_GET
def well_known(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(well_known_document(this_instance(), instance_key_pair(), rotations=rotations()))
    except KeyLost as exc:
        return _key_lost(exc)


class Suspended(Exception):
    """The signing peer is suspended here."""


def _signed_peer(request: HttpRequest) -> Peer | None:
    """The peer that signed this request; ``TransportError`` when a peer's signature does not verify or
    its nonce was used before (a replay), ``Suspended`` when the peer is suspended.

    A request that is unsigned, or signed by an instance this one has not added, is served as anonymous:
    pulling a peer does not require that peer to have added us, it only means we see what everyone sees.
    """
    claimed = requesting_instance(request.headers)
    peer = Peer.objects.filter(instance_id=claimed).first() if claimed else None
    if peer is None:
        return None
    nonce, moment = check_request(
        request.method or "GET",
        request.get_full_path(),
        request.headers,
        public_key=decode_public_key(peer.public_key),
        now=timezone.now(),
    )
    if not remember_nonce(peer.instance_id, nonce, moment):
        raise TransportError("this nonce was used before: a signed request is accepted once")
    if peer.suspended_at is not None:
        raise Suspended
    return peer


def _method_not_allowed(allowed: str) -> JsonResponse:
    answer = _error(405, "method_not_allowed", f"use {allowed}")
    answer["Allow"] = allowed
    return answer


def feed(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET")
    after_text = request.GET.get("after", "0")
    if not after_text.isdigit() or len(after_text) > 16:
        return _error(
            400, "bad_request", "after must be a sequence number", {"after": ["not a whole number"]}
        )
    try:
        peer = _signed_peer(request)
    except TransportError as exc:
        return _error(401, "unauthenticated", str(exc))
    except Suspended:
        return _error(403, "forbidden", "this instance has suspended exchanging with yours")
    after = int(after_text)
    limit = max(1, min(settings.FEDERATION_PAGE_SIZE, MAX_PAGE_ITEMS))
    try:
        key_pair = instance_key_pair()
    except KeyLost as exc:
        return _key_lost(exc)
    rows, next_cursor, head = feed_slice(after, audiences_of(peer), limit)
    body = encode_feed_page(
        origin=instance_id(),
        after=after,
        items=[document.encode("utf-8") for _, document in rows],
        next_cursor=next_cursor,
        published=timezone.now(),
        key_pair=key_pair,
        extra={"head": head, "scope": "movement" if peer is not None and peer.movement else "public"},
    )
    return HttpResponse(body, content_type="application/activity+json")


@csrf_exempt
def inbox(request: HttpRequest) -> JsonResponse:
    """A peer delivers a support request: signed by the sender, stored once per idempotency key. Every
    refusal, a wrong method included, has the JSON error shape."""
    if request.method != "POST":
        return _method_not_allowed("POST")
    try:
        item, created = receive_delivery(request.body)
    except InboxRefused as exc:
        logger.warning("inbox refused a delivery: %s", exc.message)
        return _error(exc.status, exc.code, exc.message, exc.fields)
    status = 201 if created else 200
    return JsonResponse(
        {"id": item.idempotency_key, "request": item.request.global_id if item.request else None},
        status=status,
    )


def partner_page(request: HttpRequest, wikidata: str) -> HttpResponse:
    """A partner institution reconciled across instances by its QID, with every instance's partnerships
    the viewer may see (the visibility rules apply to peers' copies as to local rows)."""
    partner = partner_across_instances(wikidata, request.user)
    if partner is None:
        raise Http404
    return render(
        request,
        "federation/partner.html",
        {"partner": partner, "local": instance_id(), "peers": {p.instance_id: p for p in peers_overview()}},
    )


@login_required
def peers_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("federation.view_peers"):
        raise PermissionDenied
    return render(
        request,
        "federation/peers.html",
        {
            "peers": peers_overview(),
            "identity": this_instance(),
            "foreign": foreign_counts(),
            "shared_partners": partners_on_several_instances(),
            "may_manage": request.user.has_perm("federation.manage_peers"),
        },
    )


PEER_ACTIONS = ("suspend", "resume", "remove")


@login_required
def peer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Suspend, resume or remove a peer from the peers page (POST, with Django's CSRF check). Removing
    shows first what would be deleted (GET: the dry run) and asks to confirm."""
    if not request.user.has_perm("federation.manage_peers"):
        raise PermissionDenied
    peer = Peer.objects.filter(pk=pk).first()
    if peer is None or action not in PEER_ACTIONS:
        raise Http404
    if request.method == "GET" and action == "remove":
        return render(request, "federation/remove_peer.html", {"peer": peer, "counts": peer_rows(peer)})
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    name = peer.instance_id
    if action == "suspend":
        moved = suspend_peer(peer)
        messages.success(
            request,
            _("%(peer)s is suspended; %(moved)d offered requests moved to their next candidate.")
            % {"peer": name, "moved": moved},
        )
    elif action == "resume":
        resume_peer(peer)
        messages.success(request, _("%(peer)s is resumed.") % {"peer": name})
    else:
        try:
            remove_peer(peer)
        except PeerInUse as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(peer)s and its records are removed.") % {"peer": name})
    return redirect("federation-peers")
