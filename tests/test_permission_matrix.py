"""The permission matrix: every URL and API operation, for every role and visibility: allow or deny.

Each case runs inside a rolled-back savepoint, so writes do not leak into the next case. A second test
checks that no URL of the project is left out of the matrix, and a third that nothing private reaches a
person who may not see it through any list, read, search or export.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from partnernet.accounts.services import create_token
from partnernet.base.rows import export_rows
from partnernet.directory.models import JoinRequest
from partnernet.framework.models import FrameworkVersion, Stewardship
from partnernet.i18n.sentences import message
from partnernet.impact.models import Criterion, Evaluation, FetchRun, Outcome, Rubric
from partnernet.notifications.services import notify
from partnernet.partnerships.models import Agreement, Partnership
from partnernet.support.models import Hosting, SupportRequest
from tests.api.conftest import World, world  # noqa: F401  (the fixture)
from tests.factories import (
    ClaimFactory,
    EntityFactory,
    PartnerFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
    UserFactory,
)
from tests.framework.agreement import take_up

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "member", "admin", "facilitator", "superuser")
AUTHED = ROLES[1:]

SECRET_B = "Quiet archive deal of B"
SECRET_A = "Quiet archive deal of A"
MOVEMENT_B = "Movement-wide GLAM plan"
HOSTING_REASON = "Quiet reason the hosting of B ended"
SECRET_NEED_B = "Quiet need of B"


def only(status: int, *roles: str, otherwise: int = 403, anonymous: int = 401) -> dict[str, int]:
    """``status`` for ``roles``, ``otherwise`` for the other accounts, ``anonymous`` for nobody."""
    table = {role: (status if role in roles else otherwise) for role in AUTHED}
    table["anonymous"] = status if "anonymous" in roles else anonymous
    return table


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    expected: dict[str, int]
    body: Any = None


NEW_ENTITY = {"key": "brand-new", "name": "Brand new", "kind": "hub"}
NEW_PARTNER = {"key": "brand-new-partner", "name": "New library", "kind": "library"}


def stewardship_for(entity: str) -> dict[str, Any]:
    return {"key": f"new-st-{entity}", "entity": entity, "type": "glam", "level": "supporter", "capacity": 2}


def partnership_led_by(entity: str) -> dict[str, Any]:
    return {
        "key": f"new-p-{entity}",
        "title": "New",
        "lead": entity,
        "type": "education",
        "status": "prospect",
    }


def request_by(entity: str) -> dict[str, Any]:
    return {"key": f"new-r-{entity}", "requester": entity, "type": "glam", "region": "SE", "need": "tools"}


VISIBLE_TO_MOVEMENT = ("member", "admin", "facilitator", "superuser")

API_CASES = [
    # list and read: directory rows are public
    Case("list_entities", "get", "/api/v1/entities", everyone(200)),
    Case("read_entity", "get", "/api/v1/entities/home-group", everyone(200)),
    Case("read_entity (seed)", "get", "/api/v1/entities/wikimedia-sweden", everyone(200)),
    Case("list_partners", "get", "/api/v1/partners", everyone(200)),
    Case("read_partner", "get", "/api/v1/partners/p-free", everyone(200)),
    Case("list_stewardships", "get", "/api/v1/stewardships", everyone(200)),
    Case("read_stewardship", "get", "/api/v1/stewardships/st-a", everyone(200)),
    # the caller about themselves
    Case("me", "get", "/api/v1/me", only(200, *AUTHED)),
    Case("notifications", "get", "/api/v1/notifications", only(200, *AUTHED)),
    Case("read_notifications", "post", "/api/v1/notifications/read", only(200, *AUTHED), {}),
    Case(
        "read_notification",
        "post",
        "/api/v1/notifications/{note}/read",
        only(200, "member", otherwise=404),
        {},
    ),
    # partnerships by visibility
    Case("list_partnerships", "get", "/api/v1/partnerships", everyone(200)),
    Case("read_partnership (public)", "get", "/api/v1/partnerships/pub-b", everyone(200)),
    Case(
        "read_partnership (movement)",
        "get",
        "/api/v1/partnerships/mov-b",
        only(200, *VISIBLE_TO_MOVEMENT, otherwise=404, anonymous=404),
    ),
    Case(
        "read_partnership (private, other lead)",
        "get",
        "/api/v1/partnerships/priv-b",
        only(200, "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "read_partnership (private, own lead)",
        "get",
        "/api/v1/partnerships/priv-a",
        only(200, "member", "admin", "superuser", otherwise=404, anonymous=404),
    ),
    # support requests: parties and facilitators
    Case("list_requests", "get", "/api/v1/requests", everyone(200)),
    Case(
        "read_request (own entity)",
        "get",
        "/api/v1/requests/req-a",
        only(200, *VISIBLE_TO_MOVEMENT, otherwise=404, anonymous=404),
    ),
    Case(
        "read_request (other entity)",
        "get",
        "/api/v1/requests/req-b",
        only(200, "facilitator", "superuser", otherwise=404, anonymous=404),
    ),
    # entities
    Case("create_entity", "post", "/api/v1/entities", only(201, "facilitator", "superuser"), NEW_ENTITY),
    Case(
        "update_entity",
        "patch",
        "/api/v1/entities/home-group",
        only(200, "admin", "facilitator", "superuser"),
        {"name": "Renamed"},
    ),
    Case("update_entity (seed)", "patch", "/api/v1/entities/wikimedia-sweden", only(200), {"name": "x"}),
    Case("update_entity (federated)", "patch", "/api/v1/entities/peer-entity", only(200), {"name": "x"}),
    Case("delete_entity", "delete", "/api/v1/entities/unused", only(204, "facilitator", "superuser")),
    Case("delete_entity (seed)", "delete", "/api/v1/entities/wikimedia-sweden", only(204)),
    # partners
    Case("create_partner", "post", "/api/v1/partners", only(201, *VISIBLE_TO_MOVEMENT), NEW_PARTNER),
    Case(
        "update_partner (partner of own partnership)",
        "patch",
        "/api/v1/partners/p-linked",
        only(200, *VISIBLE_TO_MOVEMENT),
        {"name": "Renamed"},
    ),
    Case(
        "update_partner (unrelated)",
        "patch",
        "/api/v1/partners/p-free",
        only(200, "facilitator", "superuser"),
        {"name": "Renamed"},
    ),
    Case("delete_partner", "delete", "/api/v1/partners/p-free", only(204, "facilitator", "superuser")),
    # stewardships: taken up, activated, widened, given capacity or retired only by agreement (403 for all)
    Case(
        "create_stewardship (own entity)",
        "post",
        "/api/v1/stewardships",
        only(201),
        stewardship_for("home-group"),
    ),
    Case(
        "create_stewardship (other entity)",
        "post",
        "/api/v1/stewardships",
        only(201),
        stewardship_for("other-group"),
    ),
    Case(
        "update_stewardship (details)",
        "patch",
        "/api/v1/stewardships/st-a",
        only(200, "admin", "facilitator", "superuser"),
        {"response_days": 10},
    ),
    Case(
        "update_stewardship (more capacity)",
        "patch",
        "/api/v1/stewardships/st-a",
        only(200),
        {"capacity": 999},
    ),
    Case("delete_stewardship (active)", "delete", "/api/v1/stewardships/st-a", only(204)),
    # partnerships
    Case(
        "create_partnership (own lead)",
        "post",
        "/api/v1/partnerships",
        only(201, *VISIBLE_TO_MOVEMENT),
        partnership_led_by("home-group"),
    ),
    Case(
        "create_partnership (other lead)",
        "post",
        "/api/v1/partnerships",
        only(201, "facilitator", "superuser"),
        partnership_led_by("other-group"),
    ),
    Case(
        "update_partnership (public, not a party)",
        "patch",
        "/api/v1/partnerships/pub-b",
        only(200, "facilitator", "superuser"),
        {"title": "x"},
    ),
    Case(
        "update_partnership (movement, not a party)",
        "patch",
        "/api/v1/partnerships/mov-b",
        {**only(200, "facilitator", "superuser"), "outsider": 404},
        {"title": "x"},
    ),
    Case(
        "update_partnership (private, own)",
        "patch",
        "/api/v1/partnerships/priv-a",
        only(200, "member", "admin", "superuser", otherwise=404),
        {"title": "x"},
    ),
    Case(
        "update_partnership (private, other)",
        "patch",
        "/api/v1/partnerships/priv-b",
        only(200, "superuser", otherwise=404),
        {"title": "x"},
    ),
    Case(
        "delete_partnership (own lead)",
        "delete",
        "/api/v1/partnerships/pub-a",
        only(204, "admin", "facilitator", "superuser"),
    ),
    # requests
    Case(
        "create_request (own entity)",
        "post",
        "/api/v1/requests",
        only(201, "member", "admin"),
        request_by("home-group"),
    ),
    Case(
        "create_request (other entity)",
        "post",
        "/api/v1/requests",
        only(201),
        request_by("other-group"),
    ),
    # hostings: public like the entity pages; either side's members end one (home-group is hosted)
    Case("list_hostings", "get", "/api/v1/support/hostings", everyone(200)),
    Case("read_hosting", "get", "/api/v1/support/hostings/{hosting_key}", everyone(200)),
    Case(
        "read_hosting (ended, other entities)", "get", "/api/v1/support/hostings/{ended_key}", everyone(200)
    ),
    Case(
        "end_hosting (own entity hosted)",
        "post",
        "/api/v1/support/hostings/{hosting_key}/end",
        only(200, "member", "admin", "superuser"),
        {"reason": "Over"},
    ),
    Case(
        "end_hosting (other entities)",
        "post",
        "/api/v1/support/hostings/{ended_key}/end",
        # refused before the state is looked at: only the operator gets as far as "already ended"
        only(409, "superuser"),
        {"reason": "Over"},
    ),
]

LOGIN_NEEDED = {**dict.fromkeys(AUTHED, 200), "anonymous": 302}
WEB_CASES = [
    Case("home", "get", "/", everyone(200)),
    Case("set_language", "post", "/i18n/setlang/", everyone(302), {"language": "fr"}),
    Case("favicon", "get", "/favicon.ico", everyone(200)),
    Case("pick", "get", "/pick/entities/?q=wiki", everyone(200)),
    Case(
        "pick (what one may act for)", "get", "/pick/my-entities/?q=wiki", only(200, *AUTHED, anonymous=403)
    ),
    Case("api-docs", "get", "/api/docs", everyone(200)),
    Case("openapi-json", "get", "/api/v1/openapi.json", everyone(200)),
    Case("api-root", "get", "/api/v1/", everyone(404)),
    Case("account_tokens", "get", "/accounts/tokens/", LOGIN_NEEDED),
    Case("account_data", "get", "/accounts/data/", LOGIN_NEEDED),
    Case("account_data_download", "get", "/accounts/data/download/", LOGIN_NEEDED),
    Case("account_delete (not confirmed)", "post", "/accounts/data/delete/", LOGIN_NEEDED, {"confirm": "no"}),
    Case(
        "account_token_revoke (member's token)",
        "post",
        "/accounts/tokens/{member_token}/revoke/",
        {**dict.fromkeys(AUTHED, 404), "member": 302, "anonymous": 302},
    ),
    Case("account_login", "get", "/accounts/login/", {**dict.fromkeys(AUTHED, 302), "anonymous": 200}),
    Case("account_signup", "get", "/accounts/signup/", {**dict.fromkeys(AUTHED, 302), "anonymous": 200}),
    Case("admin", "get", "/admin/", {**dict.fromkeys(ROLES, 302), "superuser": 200}),
    Case(
        "admin changelist",
        "get",
        "/admin/accounts/apitoken/",
        {**dict.fromkeys(ROLES, 302), "superuser": 200},
    ),
    Case(
        "admin audit log", "get", "/admin/audit/auditevent/", {**dict.fromkeys(ROLES, 302), "superuser": 200}
    ),
]

EVIDENCE = {"evidence_url": "https://meta.wikimedia.org/wiki/Wikimedia_Sverige", "statement": "I act for it."}

API_CASES += [
    # joining an entity (its admins decide) and claiming a seeded affiliate (facilitators decide)
    Case("list_profiles", "get", "/api/v1/profiles", everyone(200)),
    Case("read_profile (none kept here)", "get", "/api/v1/profiles/wikimedia-sweden", everyone(404)),
    Case("list_join_requests", "get", "/api/v1/join-requests", only(200, *AUTHED)),
    Case(
        "create_join_request", "post", "/api/v1/join-requests", only(201, *AUTHED), {"entity": "other-group"}
    ),
    Case(
        "decide_join_request",
        "post",
        "/api/v1/join-requests/{join_id}/approve",
        {**only(200, "admin", "superuser", otherwise=404, anonymous=401), "outsider": 403},
        {},
    ),
    Case("list_claims", "get", "/api/v1/claims", only(200, *AUTHED)),
    Case(
        "create_claim",
        "post",
        "/api/v1/claims",
        only(201, *AUTHED),
        {"entity": "wikimedia-sweden", **EVIDENCE},
    ),
    Case(
        "decide_claim", "post", "/api/v1/claims/{claim_id}/approve", only(200, "facilitator", "superuser"), {}
    ),
]

PARTY = ("member", "admin")
"""Members and admins of ``home-group``: the lead of pub-a and priv-a, the requester of req-a, the steward
offered req-to-a, and the hosted side of the hosting."""
STAFF = ("facilitator", "superuser")

SESSION_API_CASES = [
    # agreement process: proposals are public; an entity's voice is cast by one of its admins
    Case("list_proposals", "get", "/api/v1/proposals", everyone(200)),
    Case("read_proposal", "get", "/api/v1/proposals/{proposal}", everyone(200)),
    Case(
        "create_proposal (for own entity)",
        "post",
        "/api/v1/proposals",
        only(201, "admin"),
        {
            "proposer": "home-group",
            "kind": "take_up",
            "title": "Education in Europe",
            "rationale": "We can.",
            "type": "education",
            "region": "150",
            "level": "supporter",
            "capacity": 2,
        },
    ),
    Case(
        "endorse_proposal (for own entity)",
        "post",
        "/api/v1/proposals/{proposal}/endorsements",
        only(200, "admin"),
        {"entity": "home-group", "stance": "support"},
    ),
    Case(
        "endorse_proposal (for another entity)",
        "post",
        "/api/v1/proposals/{proposal}/endorsements",
        only(200),
        {"entity": "other-group", "stance": "support"},
    ),
    # impact: outcomes follow their partnership's visibility
    Case("list_outcomes", "get", "/api/v1/outcomes", everyone(200)),
    Case("read_outcome (public)", "get", "/api/v1/outcomes/out-pub-a", everyone(200)),
    Case(
        "read_outcome (movement)",
        "get",
        "/api/v1/outcomes/out-mov-b",
        only(200, *VISIBLE_TO_MOVEMENT, otherwise=404, anonymous=404),
    ),
    Case(
        "read_outcome (private, own)",
        "get",
        "/api/v1/outcomes/out-priv-a",
        only(200, *PARTY, "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "read_outcome (private, other)",
        "get",
        "/api/v1/outcomes/out-priv-b",
        only(200, "superuser", otherwise=404, anonymous=404),
    ),
    Case("report", "get", "/api/v1/impact/report", everyone(200)),
    Case("analyze", "get", "/api/v1/analyze", everyone(200)),
    # the support workflow: parties and facilitators read; stewards answer; requesters withdraw
    Case("list_requests (workflow)", "get", "/api/v1/support/requests", everyone(200)),
    Case(
        "read_request (workflow, own entity)",
        "get",
        "/api/v1/support/requests/req-a",
        only(200, *VISIBLE_TO_MOVEMENT, otherwise=404, anonymous=404),
    ),
    Case(
        "read_request (workflow, offered to own entity)",
        "get",
        "/api/v1/support/requests/req-to-a",
        only(200, *VISIBLE_TO_MOVEMENT, otherwise=404, anonymous=404),
    ),
    Case(
        "read_request (workflow, other entity)",
        "get",
        "/api/v1/support/requests/req-b",
        only(200, *STAFF, otherwise=404, anonymous=404),
    ),
    Case(
        "create_request (workflow, own entity)",
        "post",
        "/api/v1/support/requests",
        # only members ask for their entity, as on the form (facilitators and the operator too are refused)
        only(201, *PARTY),
        {"requester": "home-group", "type": "glam", "region": "SE", "need": "tools", "description": "Help"},
    ),
    Case(
        "create_request (workflow, other entity)",
        "post",
        "/api/v1/support/requests",
        only(201),
        {"requester": "other-group", "type": "glam", "region": "SE", "need": "tools", "description": "Help"},
    ),
    Case(
        "offer_request (to a stewardship)",
        "post",
        "/api/v1/support/requests/req-a/offer",
        {**only(200, *STAFF), "outsider": 404},
        {"stewardship": "st-a"},
    ),
    Case(
        "offer_request (route again)",
        "post",
        "/api/v1/support/requests/req-a/offer",
        {**only(200, *STAFF), "outsider": 404},
        {},
    ),
    Case(
        "accept_request",
        "post",
        "/api/v1/support/requests/req-to-a/accept",
        {**only(200, *PARTY, "superuser"), "outsider": 404},
    ),
    Case(
        "decline_request",
        "post",
        "/api/v1/support/requests/req-to-a/decline",
        {**only(200, *PARTY, "superuser"), "outsider": 404},
        {"reason": "No time"},
    ),
    Case(
        "start_request",
        "post",
        "/api/v1/support/requests/req-held/start",
        {**only(200, *PARTY, "superuser"), "outsider": 404},
    ),
    Case(
        "resolve_request",
        "post",
        "/api/v1/support/requests/req-held/resolve",
        {**only(200, *PARTY, "superuser"), "outsider": 404},
        {"outcome": "Done"},
    ),
    Case(
        "withdraw_request",
        "post",
        "/api/v1/support/requests/req-a/withdraw",
        {**only(200, *PARTY, "superuser"), "outsider": 404},
        {"reason": "Solved"},
    ),
    Case(
        "withdraw_request (other entity)",
        "post",
        "/api/v1/support/requests/req-b/withdraw",
        {**only(200, "superuser", otherwise=404), "facilitator": 403},
        {},
    ),
    Case("route", "get", "/api/v1/support/route?type=glam&region=SE", everyone(200)),
]
"""API operations of the agreement, impact, analytics and support routers. They know the caller only by the
browser session (``django_auth`` for writes, ``request.user`` for reads), so they run with a logged-in
session here; personal tokens are not honoured by them."""


def logged_in(status: int, *roles: str, otherwise: int = 403) -> dict[str, int]:
    """A ``login_required`` page: anonymous visitors are sent to log in."""
    return {**only(status, *roles, otherwise=otherwise), "anonymous": 302}


WEB_CASES += [
    # the framework's coverage matrix: public aggregates
    Case("matrix", "get", "/matrix/", everyone(200)),
    Case("matrix_cell", "get", "/matrix/glam/154/", everyone(200)),
    Case("web:find_steward", "get", "/stewards/?place=SE&type=glam", everyone(200)),
    # directory
    Case("directory:entities", "get", "/directory/entities/", everyone(200)),
    Case("directory:entity", "get", "/directory/entities/home-group/", everyone(200)),
    Case(
        "directory:entity_edit",
        "get",
        "/directory/entities/home-group/edit/",
        logged_in(200, "admin", *STAFF),
    ),
    Case("directory:entity_edit (seed)", "get", "/directory/entities/wikimedia-sweden/edit/", logged_in(200)),
    Case("directory:entity_join", "get", "/directory/entities/other-group/join/", logged_in(200, *AUTHED)),
    Case(
        "directory:entity_claim",
        "get",
        "/directory/entities/wikimedia-sweden/claim/",
        logged_in(200, *AUTHED),
    ),
    Case("directory:claims", "get", "/directory/claims/", logged_in(200, *STAFF)),
    Case(
        "directory:join_decide",
        "post",
        "/directory/join-requests/{join_id}/approve/",
        logged_in(302, "admin", "superuser"),
    ),
    Case("directory:claim_decide", "post", "/directory/claims/{claim_id}/approve/", logged_in(302, *STAFF)),
    Case("directory:partners", "get", "/directory/partners/", everyone(200)),
    Case("directory:partner", "get", "/directory/partners/p-free/", everyone(200)),
    Case("directory:partner_create", "get", "/directory/partners/new/", logged_in(200, *VISIBLE_TO_MOVEMENT)),
    Case(
        "directory:partner_edit (partner of own partnership)",
        "get",
        "/directory/partners/p-linked/edit/",
        logged_in(200, *VISIBLE_TO_MOVEMENT),
    ),
    Case(
        "directory:partner_edit (unrelated)",
        "get",
        "/directory/partners/p-free/edit/",
        logged_in(200, *STAFF),
    ),
    # the partnership registry
    Case("partnerships:registry", "get", "/partnerships/", everyone(200)),
    Case("partnerships:export", "get", "/partnerships/export.csv", everyone(200)),
    Case("partnerships:create", "get", "/partnerships/new/", logged_in(200, *VISIBLE_TO_MOVEMENT)),
    Case("partnerships:detail (public)", "get", "/partnerships/pub-b/", everyone(200)),
    Case(
        "partnerships:detail (movement)",
        "get",
        "/partnerships/mov-b/",
        only(200, *VISIBLE_TO_MOVEMENT, otherwise=404, anonymous=404),
    ),
    Case(
        "partnerships:detail (private, own)",
        "get",
        "/partnerships/priv-a/",
        only(200, *PARTY, "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "partnerships:detail (private, other)",
        "get",
        "/partnerships/priv-b/",
        only(200, "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "partnerships:edit (public, not a party)", "get", "/partnerships/pub-b/edit/", logged_in(200, *STAFF)
    ),
    Case(
        "partnerships:edit (private, own)",
        "get",
        "/partnerships/priv-a/edit/",
        logged_in(200, *PARTY, "superuser", otherwise=404),
    ),
    Case(
        "partnerships:edit (private, other)",
        "get",
        "/partnerships/priv-b/edit/",
        logged_in(200, "superuser", otherwise=404),
    ),
    Case(
        "partnerships:upload_agreement (no file: refused on the field once allowed)",
        "post",
        "/partnerships/pub-a/agreements/",
        logged_in(400, *PARTY, *STAFF),
        {"title": "Signed"},
    ),
    Case(
        "partnerships:agreement_file (parties only)",
        "get",
        "/partnerships/pub-a/agreements/{agreement}/",
        logged_in(200, *PARTY, "superuser", otherwise=404),
    ),
    # the agreement process
    Case("framework:proposals", "get", "/framework/proposals/", everyone(200)),
    Case("framework:proposal_new", "get", "/framework/proposals/new/", LOGIN_NEEDED),
    Case(
        "framework:proposal_new (take up, for own entity)",
        "post",
        "/framework/proposals/new/?kind=take_up",
        # the proposer field offers only the entities one administers: others get the form back
        logged_in(302, "admin", otherwise=200),
        {
            "proposer": "{entity_pk}",
            "title": "Education in Europe",
            "rationale": "We can.",
            "type": "education",
            "region": "150",
            "level": "supporter",
            "capacity": "2",
        },
    ),
    Case("framework:proposal", "get", "/framework/proposals/{proposal}", everyone(200)),
    Case(
        "framework:proposal (comment)",
        "post",
        "/framework/proposals/{proposal}",
        # anyone in the movement discusses; an outsider's comment is refused next to the field
        logged_in(302, *VISIBLE_TO_MOVEMENT, otherwise=200),
        {"body": "Good idea"},
    ),
    Case("framework:rules", "get", "/framework/rules/", logged_in(200, *STAFF)),
    Case("framework:history", "get", "/framework/history/", everyone(200)),
    Case("framework:terms", "get", "/framework/terms/", everyone(200)),
    Case("framework:term_labels", "get", "/framework/terms/theme/science/", logged_in(200, *STAFF)),
    Case("framework:version", "get", "/framework/history/{version}", everyone(200)),
    # impact
    Case("impact:report", "get", "/impact/", everyone(200)),
    Case("impact:print", "get", "/impact/print/", everyone(200)),
    Case("impact:pdf", "get", "/impact/report.pdf", everyone(200)),
    Case("impact:csv", "get", "/impact/outcomes.csv", everyone(200)),
    Case("impact:indicators", "get", "/impact/indicators/", everyone(200)),
    Case("impact:partnership (public)", "get", "/impact/partnerships/pub-b/", everyone(200)),
    Case(
        "impact:partnership (private, own)",
        "get",
        "/impact/partnerships/priv-a/",
        only(200, *PARTY, "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "impact:partnership (private, other)",
        "get",
        "/impact/partnerships/priv-b/",
        only(200, "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "impact:partnership (record an outcome, own)",
        "post",
        "/impact/partnerships/pub-a/",
        only(302, *PARTY, *STAFF, anonymous=403),
        {
            "indicator": "media_uploaded",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": "3",
            "measured_on": "2026-01-01",
        },
    ),
    Case(
        "impact:partnership (record an outcome, not a party)",
        "post",
        "/impact/partnerships/pub-b/",
        only(302, *STAFF, anonymous=403),
        {
            "indicator": "media_uploaded",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": "3",
            "measured_on": "2026-01-01",
        },
    ),
    Case(
        "impact:fetch (own partnership)",
        "post",
        "/impact/fetch/",
        only(302, *PARTY, *STAFF, anonymous=403),
        {"partnership": "pub-a"},
    ),
    Case(
        "impact:fetch (private, other)",
        "post",
        "/impact/fetch/",
        only(302, "superuser", otherwise=404, anonymous=404),
        {"partnership": "priv-b"},
    ),
    Case("impact:fetch (everything)", "post", "/impact/fetch/", only(302, *STAFF, anonymous=403)),
    Case("impact:run (of a public partnership)", "get", "/impact/runs/{run_pub}/", everyone(200)),
    Case(
        "impact:run (of a private partnership)",
        "get",
        "/impact/runs/{run_priv}/",
        only(200, "superuser", otherwise=404, anonymous=404),
    ),
    Case("impact:run (of everything)", "get", "/impact/runs/{run_all}/", only(200, *STAFF, anonymous=403)),
    Case("impact:evaluations", "get", "/impact/evaluations/", everyone(200)),
    Case("impact:score", "get", "/impact/evaluations/eval-m/score/", only(200, *STAFF, anonymous=403)),
    Case("impact:rubric", "get", "/impact/rubrics/rubric-m/", only(200, *STAFF, anonymous=403)),
    # analytics
    Case("analytics:dashboard", "get", "/analytics/", everyone(200)),
    Case("analytics:snapshot", "post", "/analytics/snapshot", only(302, *STAFF, anonymous=403)),
    Case("analytics:export (aggregates)", "get", "/analytics/export/nodes.csv", everyone(200)),
    Case(
        "analytics:export (sustainability: own entities, all for facilitators)",
        "get",
        "/analytics/export/sustainability.json",
        only(200, *VISIBLE_TO_MOVEMENT, anonymous=403),
    ),
    Case(
        "analytics:suggestions", "get", "/analytics/suggestions/glam/154/", only(200, *STAFF, anonymous=403)
    ),
    Case(
        "analytics:suggestions-export",
        "get",
        "/analytics/suggestions/glam/154/export.csv",
        only(200, *STAFF, anonymous=403),
    ),
    # support workflow pages
    Case("support:index", "get", "/support/", everyone(200)),
    # a person without an entity gets the form that makes their individual profile with the request
    Case("support:new", "get", "/support/new/", LOGIN_NEEDED),
    Case("support:follow", "get", "{follow}", everyone(200)),
    Case("support:follow (wrong token)", "get", "/support/follow/req-pub/{wrong_token}/", everyone(404)),
    Case(
        "support:link_partner",
        "post",
        "/support/r/req-pub/link-partner/",
        logged_in(302, *PARTY, *STAFF, otherwise=404),
        {"partner": "{p_match}"},
    ),
    # the personal home and a person's own notifications
    Case("personal_home", "get", "/me/", LOGIN_NEEDED),
    Case("notifications:list", "get", "/notifications/", LOGIN_NEEDED),
    Case("notifications:open", "get", "/notifications/{note}/", logged_in(302, "member", otherwise=404)),
    Case("notifications:read", "post", "/notifications/read/", logged_in(302, *AUTHED), {"id": "{note}"}),
    Case("support:inbox", "get", "/support/inbox/", LOGIN_NEEDED),
    Case("support:queue", "get", "/support/queue/", logged_in(200, *STAFF)),
    Case("support:propose", "get", "/support/propose/", everyone(200)),
    Case("support:proposed", "get", "/support/propose/thanks/", everyone(200)),
    Case("support:entity", "get", "/support/entity/home-group/", everyone(200)),
    Case(
        "support:detail (own entity)",
        "get",
        "/support/r/req-a/",
        logged_in(200, *VISIBLE_TO_MOVEMENT, otherwise=404),
    ),
    Case("support:detail (other entity)", "get", "/support/r/req-b/", logged_in(200, *STAFF, otherwise=404)),
    Case(
        "support:accept",
        "post",
        "/support/r/req-to-a/accept/",
        logged_in(302, *PARTY, "superuser", otherwise=403) | {"outsider": 404},
    ),
    Case(
        "support:decline",
        "post",
        "/support/r/req-to-a/decline/",
        logged_in(302, *PARTY, "superuser") | {"outsider": 404},
        {"reason": "No time"},
    ),
    Case(
        "support:start",
        "post",
        "/support/r/req-held/start/",
        logged_in(302, *PARTY, "superuser") | {"outsider": 404},
    ),
    Case(
        "support:resolve",
        "post",
        "/support/r/req-held/resolve/",
        logged_in(302, *PARTY, "superuser") | {"outsider": 404},
        {"outcome": "Done"},
    ),
    Case(
        "support:withdraw",
        "post",
        "/support/r/req-a/withdraw/",
        logged_in(302, *PARTY, "superuser") | {"outsider": 404},
        {"reason": "Solved"},
    ),
    Case(
        "support:offer",
        "post",
        "/support/r/req-a/offer/",
        logged_in(302, *STAFF) | {"outsider": 404},
        {"stewardship": "st-a"},
    ),
    Case("support:route", "post", "/support/r/req-a/route/", logged_in(302, *STAFF) | {"outsider": 404}),
    Case(
        "support:host",
        "post",
        "/support/r/req-done/host/",
        logged_in(302, *PARTY, "superuser") | {"outsider": 404},
        {},
    ),
    Case(
        "support:end_hosting",
        "post",
        "/support/hosting/{hosting}/end/",
        logged_in(302, *PARTY, "superuser", otherwise=404),
        {"reason": "Over"},
    ),
    # federation: what every instance may read; the peers page is the operators'
    Case("well-known-partnernet", "get", "/.well-known/partnernet", everyone(200)),
    Case("federation-feed (unsigned)", "get", "/federation/feed", everyone(200)),
    Case("federation-peers", "get", "/federation/peers/", logged_in(200, *STAFF)),
    Case("federation-partner", "get", "/federation/partners/Q190804/", everyone(200)),
]

RESOURCE = {"key": "lib-new", "title": "New", "kind": "playbook", "language": "en", "publisher": "home-group"}

API_CASES += [
    # the library: published public resources for everyone; drafts for the publisher's admins (and
    # maintainers); writes for the publisher's admins and the maintainers only
    Case("list_resources", "get", "/api/v1/resources", everyone(200)),
    Case("read_resource", "get", "/api/v1/resources/lib-pub", everyone(200)),
    Case(
        "read_resource (draft)",
        "get",
        "/api/v1/resources/lib-draft",
        only(200, "admin", "superuser", otherwise=404, anonymous=404),
    ),
    Case(
        "create_resource (own publisher)",
        "post",
        "/api/v1/resources",
        only(201, "admin", "superuser"),
        RESOURCE,
    ),
    Case(
        "update_resource",
        "patch",
        "/api/v1/resources/lib-pub",
        only(200, "admin", "superuser"),
        {"title": "Renamed"},
    ),
]

WEB_CASES += [
    Case("library:index", "get", "/library/", everyone(200)),
    Case("library:create", "get", "/library/new/", logged_in(200, "admin")),
    Case("library:detail", "get", "/library/lib-pub/", everyone(200)),
    Case(
        "library:detail (draft)",
        "get",
        "/library/lib-draft/",
        only(200, "admin", "superuser", otherwise=404, anonymous=404),
    ),
    Case("library:edit", "get", "/library/lib-pub/edit/", logged_in(200, "admin", "superuser")),
    Case(
        "library:publish (draft)",
        "post",
        "/library/lib-draft/publish/",
        logged_in(302, "admin", "superuser", otherwise=404),
    ),
    Case("library:retire", "post", "/library/lib-pub/retire/", logged_in(302, "admin", "superuser")),
    Case("library:history", "get", "/library/lib-pub/history/", everyone(200)),
    Case("library:diff", "get", "/library/lib-pub/diff/?from=1&to=1", everyone(200)),
    Case("library:attachment", "get", "/library/lib-pub/files/0/", everyone(302)),
    Case("library:helped", "post", "/library/lib-pub/helped/", everyone(302)),
    Case(
        "library:answer (held by home-group)",
        "post",
        "/library/answer/req-held/",
        logged_in(302, "member", "admin", "superuser", otherwise=404) | {"facilitator": 403},
        {"resources": "{lib_pub_pk}"},
    ),
]
NEW_NEED = {"entity": "home-group", "kind": "tools", "title": "Laptops", "amount": "2", "unit": "hours"}
PLEDGE = {"need": "need-pub-b", "person": "Ada", "what": "Help", "amount": "5"}
OWN_PLEDGE = ("member", "admin", "superuser")
"""The pledge ``pledge-a`` was made by home-group's member for home-group: its pledger (and home-group's
admins) may change or cancel it; only the need's admins (other-group's, none of the roles) confirm it."""

API_CASES += [
    # needs and pledges: the need's visibility; its admins declare, change and confirm; a pledger its own
    Case("list_needs", "get", "/api/v1/needs", everyone(200)),
    Case("read_need (public)", "get", "/api/v1/needs/need-pub-b", everyone(200)),
    Case("read_need (private, other entity)", "get", "/api/v1/needs/need-priv-b",
         only(200, "superuser", otherwise=404, anonymous=404)),
    Case("declare_need", "post", "/api/v1/needs", only(201, "admin", "superuser"), NEW_NEED),
    Case("change_need", "patch", "/api/v1/needs/need-pub-b", only(200, "superuser"), {"why": "Because"}),
    Case("list_pledges", "get", "/api/v1/pledges", everyone(200)),
    Case("read_pledge", "get", "/api/v1/pledges/pledge-a", everyone(200)),
    Case("make_pledge", "post", "/api/v1/pledges", only(201, *AUTHED), PLEDGE),
    Case("change_pledge", "patch", "/api/v1/pledges/pledge-a", only(200, *OWN_PLEDGE), {"what": "More"}),
    Case("deliver_pledge", "post", "/api/v1/pledges/pledge-a/deliver", only(200, "superuser")),
    Case("cancel_pledge", "post", "/api/v1/pledges/pledge-a/cancel", only(200, *OWN_PLEDGE)),
    Case("support_priorities", "get", "/api/v1/support-priorities", everyone(200)),
]  # fmt: skip

WEB_CASES += [
    Case("sustainability:needs", "get", "/needs/", everyone(200)),
    Case("sustainability:need", "get", "/needs/need-pub-b/", everyone(200)),
    Case("sustainability:need (private)", "get", "/needs/need-priv-b/",
         only(200, "superuser", otherwise=404, anonymous=404)),
    Case("sustainability:need-new", "get", "/needs/new/", logged_in(200, "admin")),
    Case("sustainability:need-edit", "get", "/needs/need-pub-b/edit/", logged_in(200, "superuser")),
    Case("sustainability:need-withdraw", "post", "/needs/need-pub-b/withdraw/", logged_in(302, "superuser")),
    Case("sustainability:pledge-new", "post", "/needs/need-pub-b/pledge/", logged_in(302, *AUTHED),
         {"person": "Ada", "what": "Help", "amount": "5"}),
    Case("sustainability:pledge-step", "post", "/needs/pledges/pledge-a/cancel/",
         logged_in(302, *OWN_PLEDGE)),
    Case("sustainability:plan", "get", "/needs/plans/home-group/", everyone(200)),
    Case("sustainability:export", "get", "/needs/export/needs.csv", everyone(200)),
    Case("analytics:support-priorities", "get", "/analytics/support/", everyone(200)),
]  # fmt: skip

COVERED_ELSEWHERE = {
    # anyone, no login: monitors read it (database, worker heartbeat, last sync; nothing personal)
    "healthz": "tests/web/test_health.py",
    "mediawiki_login": "tests/accounts/test_wikimedia_login.py",
    "mediawiki_callback": "tests/accounts/test_wikimedia_login.py",
    # who may deliver: unsigned, unknown senders, forged and stale signatures are refused there
    "federation-inbox": "tests/federation/test_delivery.py",
    # suspend/resume/remove a peer: facilitators and staff only, with CSRF
    "federation-peer-action": "tests/federation/test_pages.py",
}
"""URL names whose permission behaviour is a flow tested on its own."""


@pytest.fixture
def matrix(world: World) -> dict[str, Any]:  # noqa: F811
    EntityFactory(key="unused")
    EntityFactory(key="peer-entity", origin="peer-instance-1")
    linked = PartnerFactory(key="p-linked")
    PartnerFactory(key="p-free")
    StewardshipFactory(key="st-a", entity=world.entity)
    PartnershipFactory(key="pub-a", lead=world.entity, visibility="public").partners.add(linked)
    PartnershipFactory(key="pub-b", lead=world.other, visibility="public")
    PartnershipFactory(key="mov-b", lead=world.other, visibility="movement", title=MOVEMENT_B)
    secret_b = PartnershipFactory(key="priv-b", lead=world.other, visibility="private", title=SECRET_B)
    PartnershipFactory(key="priv-a", lead=world.entity, visibility="private", title=SECRET_A)
    SupportRequestFactory(key="req-a", requester=world.entity)
    SupportRequestFactory(key="req-b", requester=world.other, partnership=secret_b)
    _needs(world)
    users = {role: getattr(world, role) for role in AUTHED}
    tokens = {role: create_token(user, "matrix", "write")[1] for role, user in users.items()}
    member_token, _ = create_token(world.member, "to revoke", "write")
    join = JoinRequest.objects.create(user=world.outsider, entity=world.entity)
    claim = ClaimFactory(user=UserFactory(username="claimant"))
    return {
        "users": users,
        "tokens": tokens,
        "fill": {
            "member_token": member_token.pk,
            "join_id": join.uuid,
            "claim_id": claim.uuid,
            **_workflow_rows(world),
        },
    }


def _needs(world: World) -> None:  # noqa: F811
    from partnernet.sustainability import services as needs

    base = {"kind": "funding", "amount": "100", "unit": "money", "currency": "EUR"}
    public = needs.declare_need(None, world.other, {**base, "key": "need-pub-b", "title": "Open books of B",
                                                    "visibility": "public"})  # fmt: skip
    needs.declare_need(None, world.other, {**base, "key": "need-priv-b", "title": SECRET_NEED_B,
                                           "visibility": "private"})  # fmt: skip
    needs.make_pledge(world.member, public, key="pledge-a", what="Help", amount="10", entity=world.entity)


def _workflow_rows(world: World) -> dict[str, Any]:  # noqa: F811
    """Rows of the agreement process, impact, support workflow and federation; their ids for the paths."""
    public, movement, private_a, private_b = (
        Partnership.objects.get(key=key) for key in ("pub-a", "mov-b", "priv-a", "priv-b")
    )
    for item in (public, movement, private_a, private_b):
        Outcome.objects.create(
            key=f"out-{item.key}",
            partnership=item,
            indicator="media_uploaded",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            value=Decimal(7),
            measured_on=dt.date(2026, 1, 1),
        )
    PartnerFactory(key="p-qid", wikidata="Q190804").partnerships.add(private_b, public)
    agreement = Agreement.objects.create(
        partnership=public, title="Signed", file=ContentFile(b"%PDF-1.4 agreement", name="signed.pdf")
    )
    rubric = Rubric.objects.create(key="rubric-m", name="Matrix rubric")
    Criterion.objects.create(rubric=rubric, key="reach", name="Reach")
    Evaluation.objects.create(
        key="eval-m",
        title="Matrix case",
        rubric=rubric,
        steward=world.other,
        evaluated_on=dt.date(2026, 1, 1),
    )
    steward = Stewardship.objects.get(key="st-a")
    SupportRequestFactory(
        key="req-to-a",
        requester=world.other,
        steward=world.entity,
        stewardship=steward,
        status="offered",
        offered_at=timezone.now(),
        due_at=timezone.now() + dt.timedelta(days=5),
    )
    SupportRequestFactory(
        key="req-held", requester=world.other, steward=world.entity, stewardship=steward, status="accepted"
    )
    SupportRequestFactory(
        key="req-done",
        requester=world.other,
        steward=world.entity,
        stewardship=steward,
        status="resolved",
        resolved=dt.date(2026, 1, 2),
        outcome="Co-signed",
    )
    hosting = Hosting.objects.create(host=world.other, hosted=world.entity, term_start=dt.date(2026, 1, 1))
    ended = Hosting.objects.create(
        host=EntityFactory(key="host-c", kind="chapter"),
        hosted=world.other,
        request=SupportRequest.objects.get(key="req-b"),
        term_start=dt.date(2025, 1, 1),
        status="ended",
        ended_by=world.other,
        ended_on=dt.date(2025, 6, 1),
        end_reason=HOSTING_REASON,
    )
    proposal = take_up(world.admin, world.entity, type="research", region="154")
    proposed = SupportRequestFactory(
        key="req-pub",
        requester=None,
        partner=PartnerFactory(key="p-proposing", name="Tropenmuseum"),
        contact_name="Eva",
        contact_email="eva@museum.example",
        steward=world.entity,
        stewardship=steward,
        status="offered",
    )
    match = PartnerFactory(key="p-match", name="Tropenmuseum Amsterdam")
    (note,) = notify([world.member], message("mail.started.subject"), "/support/", email=False)
    version = FrameworkVersion.objects.order_by("number").first() or FrameworkVersion.objects.create(
        number=1, changelog="First", snapshot={}
    )
    from tests.factories import make_resource

    library = make_resource(
        world.entity, world.admin, key="lib-pub", status="published", attachments="https://example.org/a.pdf"
    )
    make_resource(world.entity, world.admin, key="lib-draft")
    return {
        "lib_pub_pk": library.pk,
        "proposal": proposal.key,
        "version": version.number,
        "entity_pk": world.entity.pk,
        "agreement": agreement.pk,
        "hosting": hosting.pk,
        "hosting_key": str(hosting.uuid),
        "ended_key": str(ended.uuid),
        "run_pub": FetchRun.objects.create(partnership=public).pk,
        "run_priv": FetchRun.objects.create(partnership=private_b).pk,
        "run_all": FetchRun.objects.create(partnership=None).pk,
        "follow": proposed.follow_path,
        "wrong_token": "0" * 40,
        "p_match": match.pk,
        "note": note.pk,
    }


def _call(client: Client, case: Case, headers: dict[str, str], fill: dict[str, Any]) -> int:
    path = case.path.format(**fill)
    with transaction.atomic():
        if case.method == "get":
            response = client.get(path, **headers)
        elif case.path.startswith("/api/"):
            data = json.dumps(case.body) if case.body is not None else None
            response = getattr(client, case.method)(
                path, data=data, content_type="application/json", **headers
            )
        else:
            form = {field: str(value).format(**fill) for field, value in (case.body or {}).items()}
            response = getattr(client, case.method)(path, data=form, **headers)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_allows_and_denies_as_the_matrix_says(role: str, matrix: dict[str, Any]) -> None:
    api_headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {matrix['tokens'][role]}"}
    web = Client()
    if role != "anonymous":
        web.force_login(matrix["users"][role])
    fill = matrix["fill"]
    wrong = []
    for case in API_CASES:
        got = _call(Client(), case, api_headers, fill)
        if got != case.expected[role]:
            wrong.append(f"{case.method.upper()} {case.name}: expected {case.expected[role]}, got {got}")
    for case in SESSION_API_CASES + WEB_CASES:
        got = _call(web, case, {}, fill)
        if got != case.expected[role]:
            wrong.append(f"{case.method.upper()} {case.name}: expected {case.expected[role]}, got {got}")
    assert wrong == [], "\n".join(wrong)


def test_session_and_token_agree_on_the_api(matrix: dict[str, Any]) -> None:
    """The same person gets the same answers through the browser session (with CSRF) as with a token."""
    for role in ("member", "facilitator"):
        client = Client()
        client.force_login(matrix["users"][role])
        for case in API_CASES:
            assert _call(client, case, {}, matrix["fill"]) == case.expected[role], case.name


def _url_names() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()

    def walk(patterns: list[Any], namespace: str | None, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.add((namespace, pattern.name or prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, None, "")
    return found


def _qualified(namespace: str | None, name: str) -> str:
    """Names of app namespaces repeat (``export``, ``detail``): cases name them with their namespace."""
    return f"{namespace}:{name}" if namespace not in (None, "api") else name


def test_no_url_is_left_out_of_the_matrix() -> None:
    """A new page or operation must be added to the matrix (or to a flow test) before it can land."""
    covered = {case.name.split(" (")[0] for case in API_CASES + SESSION_API_CASES + WEB_CASES} | set(
        COVERED_ELSEWHERE
    )
    allauth = {
        name for ns, name in _url_names() if ns is None and name.startswith(("account_", "socialaccount_"))
    }
    missing = sorted(
        _qualified(ns, name)
        for ns, name in _url_names()
        if ns != "admin"  # the Django admin: staff only, three representative pages above
        and _qualified(ns, name) not in covered
        and name not in allauth  # allauth's own flows, all reachable anonymously (see below)
        and not name.startswith("accounts/social/")  # allauth's old aliases of the 3rdparty pages
    )
    assert missing == []


def test_allauth_pages_answer_anonymous_visitors_without_errors(db: Any) -> None:
    for ns, name in sorted(_url_names(), key=str):
        if ns is None and name.startswith(("account_", "socialaccount_")) and "(?P<" not in name:
            from django.urls import NoReverseMatch, reverse

            try:
                path = reverse(name)
            except NoReverseMatch:
                continue
            assert Client().get(path).status_code < 500, name


SEEN_PAGES = (
    # lists, reports and exports of the web UI (the session routers of the API answer the browser session)
    "/partnerships/?q=Quiet",
    "/partnerships/export.csv",
    "/partnerships/export.jsonl",
    "/directory/entities/other-group/",
    "/directory/partners/p-qid/",
    "/federation/partners/Q190804/",
    "/matrix/",
    "/matrix/glam/154/",
    "/impact/",
    "/impact/print/",
    "/impact/outcomes.csv",
    "/impact/partnerships/priv-b/",
    "/impact/partnerships/mov-b/",
    "/analytics/",
    "/analytics/export/nodes.csv",
    "/analytics/export/edges.csv",
    "/analytics/export/coverage.json",
    "/analytics/export/sustainability.json",
    "/support/",
    "/support/inbox/",
    "/support/queue/",
    "/support/entity/other-group/",
    "/api/v1/outcomes?limit=500",
    "/api/v1/outcomes/out-priv-a",
    "/api/v1/outcomes/out-priv-b",
    "/api/v1/outcomes/out-mov-b",
    "/api/v1/impact/report",
    "/api/v1/analyze",
    "/api/v1/proposals",
    "/needs/",
    "/needs/?status=unmet",
    "/needs/export/needs.csv",
    "/needs/export/pledges.jsonl",
    "/analytics/support/",
    "/directory/entities/other-group/",
)


def _everything_seen(role: str, matrix: dict[str, Any]) -> str:
    headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {matrix['tokens'][role]}"}
    client = Client()
    bodies = []
    for kind in ("entities", "partners", "stewardships", "partnerships", "requests", "needs", "pledges"):
        bodies.append(client.get(f"/api/v1/{kind}", {"limit": 500}, **headers).content.decode())
    bodies.append(client.get("/api/v1/support-priorities", **headers).content.decode())
    for query in ("Quiet", "archive", "deal", "Movement-wide"):
        bodies.append(client.get("/api/v1/partnerships", {"q": query}, **headers).content.decode())
    for key in ("priv-a", "priv-b", "mov-b", "req-a", "req-b"):
        for kind in ("partnerships", "requests"):
            response = client.get(f"/api/v1/{kind}/{key}", **headers)
            if response.status_code == 200:  # a 404 echoes the key the caller sent, nothing more
                bodies.append(response.content.decode())
    hostings = client.get("/api/v1/support/hostings", {"limit": 500}, **headers).json()["items"]
    bodies.append(json.dumps(hostings))
    for hosting in hostings:
        bodies.append(client.get(f"/api/v1/support/hostings/{hosting['key']}", **headers).content.decode())
    web = Client()
    if role != "anonymous":
        web.force_login(matrix["users"][role])
    bodies.append(web.get("/").content.decode())
    for path in SEEN_PAGES:
        response = web.get(path)
        if response.status_code == 200:  # a refusal shows nothing of the rows
            bodies.append(response.getvalue().decode())
    user = matrix["users"].get(role)
    from django.contrib.auth.models import AnonymousUser

    who = user if user is not None else AnonymousUser()
    for kind in ("partnerships", "requests", "needs", "pledges"):
        bodies.append(json.dumps(list(export_rows(kind, user=who)), default=str))
    return "\n".join(bodies)


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        (
            "anonymous",
            [
                SECRET_A,
                SECRET_B,
                MOVEMENT_B,
                HOSTING_REASON,
                SECRET_NEED_B,
                "priv-a",
                "priv-b",
                "mov-b",
                "req-a",
                "req-b",
            ],
        ),
        (
            "outsider",
            [
                SECRET_A,
                SECRET_B,
                MOVEMENT_B,
                HOSTING_REASON,
                SECRET_NEED_B,
                "priv-a",
                "priv-b",
                "mov-b",
                "req-a",
                "req-b",
            ],
        ),
        ("member", [SECRET_B, HOSTING_REASON, SECRET_NEED_B, "priv-b", "req-b"]),
        ("admin", [SECRET_B, HOSTING_REASON, SECRET_NEED_B, "priv-b", "req-b"]),
        ("facilitator", [SECRET_A, SECRET_B, HOSTING_REASON, SECRET_NEED_B, "priv-a", "priv-b"]),
    ],
)
def test_nothing_private_reaches_a_list_read_search_or_export(
    role: str, hidden: list[str], matrix: dict[str, Any]
) -> None:
    seen = _everything_seen(role, matrix)
    assert [text for text in hidden if text in seen] == []


def test_the_superuser_as_operator_sees_everything(matrix: dict[str, Any]) -> None:
    seen = _everything_seen("superuser", matrix)
    for text in (
        SECRET_A,
        SECRET_B,
        MOVEMENT_B,
        HOSTING_REASON,
        SECRET_NEED_B,
        "req-a",
        "req-b",
        "out-priv-a",
        "out-priv-b",
    ):
        assert text in seen
