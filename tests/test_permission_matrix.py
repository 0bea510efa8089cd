"""The permission matrix: every URL and API operation, for every role and visibility: allow or deny.

Each case runs inside a rolled-back savepoint, so writes do not leak into the next case. A second test
checks that no URL of the project is left out of the matrix, and a third that nothing private reaches a
person who may not see it through any list, read, search or export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from partnernet.accounts.services import create_token
from partnernet.exchange.selectors import export_rows
from tests.api.conftest import World, world  # noqa: F401  (the fixture)
from tests.factories import (
    EntityFactory,
    PartnerFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "member", "admin", "facilitator", "superuser")
AUTHED = ROLES[1:]

SECRET_B = "Quiet archive deal of B"
SECRET_A = "Quiet archive deal of A"
MOVEMENT_B = "Movement-wide GLAM plan"


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
    # stewardships
    Case(
        "create_stewardship (own entity)",
        "post",
        "/api/v1/stewardships",
        only(201, "admin", "facilitator", "superuser"),
        stewardship_for("home-group"),
    ),
    Case(
        "create_stewardship (other entity)",
        "post",
        "/api/v1/stewardships",
        only(201, "facilitator", "superuser"),
        stewardship_for("other-group"),
    ),
    Case(
        "update_stewardship",
        "patch",
        "/api/v1/stewardships/st-a",
        only(200, "admin", "facilitator", "superuser"),
        {"capacity": 9},
    ),
    Case(
        "delete_stewardship",
        "delete",
        "/api/v1/stewardships/st-a",
        only(204, "admin", "facilitator", "superuser"),
    ),
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
        only(201, *VISIBLE_TO_MOVEMENT),
        request_by("home-group"),
    ),
    Case(
        "create_request (other entity)",
        "post",
        "/api/v1/requests",
        only(201, "facilitator", "superuser"),
        request_by("other-group"),
    ),
]

LOGIN_NEEDED = {**dict.fromkeys(AUTHED, 200), "anonymous": 302}
WEB_CASES = [
    Case("home", "get", "/", everyone(200)),
    Case("set_language", "post", "/i18n/setlang/", everyone(302), {"language": "fr"}),
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

COVERED_ELSEWHERE = {
    "mediawiki_login": "tests/accounts/test_wikimedia_login.py",
    "mediawiki_callback": "tests/accounts/test_wikimedia_login.py",
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
    users = {role: getattr(world, role) for role in AUTHED}
    tokens = {role: create_token(user, "matrix", "write")[1] for role, user in users.items()}
    member_token, _ = create_token(world.member, "to revoke", "write")
    return {"users": users, "tokens": tokens, "member_token": member_token.pk}


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
            response = getattr(client, case.method)(path, data=case.body or {}, **headers)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_allows_and_denies_as_the_matrix_says(role: str, matrix: dict[str, Any]) -> None:
    api_headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {matrix['tokens'][role]}"}
    web = Client()
    if role != "anonymous":
        web.force_login(matrix["users"][role])
    fill = {"member_token": matrix["member_token"]}
    wrong = []
    for case in API_CASES:
        got = _call(Client(), case, api_headers, fill)
        if got != case.expected[role]:
            wrong.append(f"{case.method.upper()} {case.name}: expected {case.expected[role]}, got {got}")
    for case in WEB_CASES:
        got = _call(web, case, {}, fill)
        if got != case.expected[role]:
            wrong.append(f"{case.method.upper()} {case.name}: expected {case.expected[role]}, got {got}")
    assert wrong == []


def test_session_and_token_agree_on_the_api(matrix: dict[str, Any]) -> None:
    """The same person gets the same answers through the browser session (with CSRF) as with a token."""
    for role in ("member", "facilitator"):
        client = Client()
        client.force_login(matrix["users"][role])
        for case in API_CASES:
            assert _call(client, case, {}, {}) == case.expected[role], case.name


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


def test_no_url_is_left_out_of_the_matrix() -> None:
    """A new page or operation must be added to the matrix (or to a flow test) before it can land."""
    covered = {case.name.split(" (")[0] for case in API_CASES + WEB_CASES} | set(COVERED_ELSEWHERE)
    allauth = {
        name for ns, name in _url_names() if ns is None and name.startswith(("account_", "socialaccount_"))
    }
    missing = sorted(
        f"{ns}:{name}" if ns else name
        for ns, name in _url_names()
        if ns != "admin"  # the Django admin: staff only, three representative pages above
        and name not in covered
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


def _everything_seen(role: str, matrix: dict[str, Any]) -> str:
    headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {matrix['tokens'][role]}"}
    client = Client()
    bodies = []
    for kind in ("entities", "partners", "stewardships", "partnerships", "requests"):
        bodies.append(client.get(f"/api/v1/{kind}", {"limit": 500}, **headers).content.decode())
    for query in ("Quiet", "archive", "deal", "Movement-wide"):
        bodies.append(client.get("/api/v1/partnerships", {"q": query}, **headers).content.decode())
    for key in ("priv-a", "priv-b", "mov-b", "req-a", "req-b"):
        for kind in ("partnerships", "requests"):
            response = client.get(f"/api/v1/{kind}/{key}", **headers)
            if response.status_code == 200:  # a 404 echoes the key the caller sent, nothing more
                bodies.append(response.content.decode())
    web = Client()
    if role != "anonymous":
        web.force_login(matrix["users"][role])
    bodies.append(web.get("/").content.decode())
    user = matrix["users"].get(role)
    from django.contrib.auth.models import AnonymousUser

    who = user if user is not None else AnonymousUser()
    for kind in ("partnerships", "requests"):
        bodies.append(json.dumps(list(export_rows(kind, user=who)), default=str))
    return "\n".join(bodies)


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        ("anonymous", [SECRET_A, SECRET_B, MOVEMENT_B, "priv-a", "priv-b", "mov-b", "req-a", "req-b"]),
        ("outsider", [SECRET_A, SECRET_B, MOVEMENT_B, "priv-a", "priv-b", "mov-b", "req-a", "req-b"]),
        ("member", [SECRET_B, "priv-b", "req-b"]),
        ("admin", [SECRET_B, "priv-b", "req-b"]),
        ("facilitator", [SECRET_A, SECRET_B, "priv-a", "priv-b"]),
    ],
)
def test_nothing_private_reaches_a_list_read_search_or_export(
    role: str, hidden: list[str], matrix: dict[str, Any]
) -> None:
    seen = _everything_seen(role, matrix)
    assert [text for text in hidden if text in seen] == []


def test_the_superuser_as_operator_sees_everything(matrix: dict[str, Any]) -> None:
    seen = _everything_seen("superuser", matrix)
    for text in (SECRET_A, SECRET_B, MOVEMENT_B, "req-a", "req-b"):
        assert text in seen
