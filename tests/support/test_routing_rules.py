"""The routing rules that keep the model truthful: nobody is its own steward, a signature goes only to an
entity that can sign, and a stewardship serves only within its term."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from partnernet.audit.models import AuditEvent
from partnernet.exchange.services import ImportRejected, import_file
from partnernet.framework.models import Stewardship
from partnernet.framework.services import lapse_ended_terms
from partnernet.support.models import SupportRequest
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, region
from tests.support.conftest import World, new_request

pytestmark = pytest.mark.django_db


def test_a_steward_asking_for_support_is_not_routed_to_itself(world: World) -> None:
    asker = MembershipFactory(entity=world.first.entity).user
    from partnernet.support import services

    created = services.create_request(
        asker, requester=world.first.entity, type=world.first.type, region=region("SE"), need="tools"
    )
    assert created.stewardship == world.second


def test_co_signing_skips_stewards_without_a_legal_identity_and_says_so(world: World) -> None:
    Stewardship.objects.exclude(pk__in=[world.first.pk, world.second.pk]).delete()
    for stewardship in (world.first, world.second):
        stewardship.entity.legal_identity = None
        stewardship.entity.save()
    signed = new_request(world, need="co_signing")
    assert signed.status == "open"
    assert signed.queued
    assert "legal identity" in signed.explanation
    tools = new_request(world, need="tools")
    assert tools.status == "offered"


def test_fiscal_sponsorship_goes_to_the_steward_that_can_hold_funds(world: World) -> None:
    world.first.entity.legal_identity = False
    world.first.entity.save()
    request = new_request(world, need="fiscal_sponsorship")
    assert request.stewardship == world.second


def test_a_stewardship_serves_only_within_its_term_both_ends_inclusive(world: World) -> None:
    today = timezone.localdate()
    world.first.term_start = today + dt.timedelta(days=1)
    world.first.save()
    assert new_request(world, need="tools").stewardship == world.second
    world.first.term_start = today - dt.timedelta(days=30)
    world.first.term_end = today
    world.first.save()
    assert new_request(world, need="tools").stewardship == world.first
    world.first.term_end = today - dt.timedelta(days=1)
    world.first.save()
    assert new_request(world, need="tools").stewardship == world.second


def test_the_day_after_its_term_a_stewardship_lapses_and_its_offers_move_on(world: World) -> None:
    offered = new_request(world, need="tools")
    assert offered.stewardship == world.first
    world.first.term_end = timezone.localdate() - dt.timedelta(days=1)
    world.first.save()
    lapsed = lapse_ended_terms()
    assert [s.key for s in lapsed] == ["se-glam"]
    world.first.refresh_from_db()
    assert world.first.status == "lapsed"
    offered.refresh_from_db()
    assert offered.stewardship == world.second
    assert offered.status == "offered"
    assert offered.events.filter(kind="lapsed").exists()
    assert AuditEvent.objects.filter(verb="lapse_stewardship", object_pk=str(world.first.pk)).exists()
    assert lapse_ended_terms() == []


def test_a_term_on_its_last_day_is_not_lapsed(world: World) -> None:
    world.first.term_end = timezone.localdate()
    world.first.save()
    assert lapse_ended_terms() == []


def run_route(*args: str) -> str:
    out = io.StringIO()
    call_command("route", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_route_leaves_out_the_requester_and_refuses_an_unknown_one(world: World) -> None:
    everyone = run_route("--type", "glam", "--region", "SE", "--json")
    assert '"se-glam"' in everyone
    without = run_route("--type", "glam", "--region", "SE", "--requester", "wm-se", "--json")
    assert '"se-glam"' not in without
    assert '"no-glam"' in without
    with pytest.raises(CommandError) as refused:
        run_route("--type", "glam", "--region", "SE", "--requester", "nobody@pn-elsewhere")
    assert refused.value.returncode == 2
    assert "--requester" in str(refused.value)


def test_route_ranks_only_legal_identities_for_a_co_signature(world: World) -> None:
    group = EntityFactory(key="informal", kind="user_group")
    StewardshipFactory(key="informal-glam", entity=group, region=region("SE"))
    assert "informal-glam" in run_route("--type", "glam", "--region", "SE", "--need", "tools", "--json")
    assert "informal-glam" not in run_route(
        "--type", "glam", "--region", "SE", "--need", "co_signing", "--json"
    )


def test_the_api_route_takes_the_requester(world: World) -> None:
    answer = Client().get("/api/v1/support/route", {"type": "glam", "region": "SE", "requester": "wm-no"})
    assert answer.status_code == 200
    assert [c["stewardship"] for c in answer.json()["candidates"]] == ["se-glam"]
    unknown = Client().get(
        "/api/v1/support/route", {"type": "glam", "region": "SE", "requester": "zz-nobody"}
    )
    assert unknown.status_code == 422
    assert "requester" in unknown.json()["error"]["fields"]


def test_import_refuses_a_term_that_starts_after_it_ends(world: World, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "key,entity,type,level,capacity,term_start,term_end\nlate,wm-se,glam,lead,2,2027-05-01,2027-01-01\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file("stewardships", path)
    assert [(p.line, p.field) for p in rejected.value.problems] == [(2, "term_start")]
    assert not Stewardship.objects.filter(key="late").exists()
    assert SupportRequest.objects.count() == 0


def test_the_inbox_shows_load_and_capacity_and_where_a_declined_request_went(world: World) -> None:
    from django.urls import reverse

    from partnernet.support import services

    request = new_request(world, need="tools")
    services.decline_offer(world.first_user, request.key, "No room this month.")
    client = Client()
    client.force_login(world.first_user)
    html = client.get(reverse("support:inbox")).content.decode()
    assert "Your stewardships: load and capacity" in html
    assert "Passed on" in html
    assert "now with Wikimedia Norge" in html
    client.force_login(world.second_user)
    held = client.get(reverse("support:inbox")).content.decode()
    assert "Wikimedia Norge" in held
    assert "Passed on" not in held


def test_the_explanation_names_the_runners_up_in_the_readers_language(world: World) -> None:
    from partnernet.i18n.sentences import render

    request = new_request(world, need="tools")
    assert request.stewardship == world.first
    assert request.explanation.endswith("next in line: Wikimedia Norge")
    assert "Next in line: Wikimedia Norge." in render(request.explanation_message, "en")
    offered = request.events.filter(kind="offered").latest("pk")
    assert offered.message == request.explanation_message


def test_a_lone_steward_has_no_runners_up_to_name(world: World) -> None:
    world.second.delete()
    request = new_request(world, need="tools")
    assert request.stewardship == world.first
    assert "next in line" not in request.explanation
