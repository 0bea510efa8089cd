"""Profiles of seeded entities: kept by their home beside the identical seed row, shown instead of it,
kept through a re-seed, exported and imported, learned from a peer, moved by the operator."""

from __future__ import annotations

import io
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partnernet.audit.models import AuditEvent
from partnernet.base.identity import instance_id
from partnernet.base.records import ForeignRow, RecordRejected
from partnernet.directory import joining
from partnernet.directory.models import Entity, EntityProfile
from partnernet.directory.profiles import PROFILES, NotHome, edit_profile, move_home
from partnernet.directory.selectors import with_profile
from partnernet.exchange.seed import seed_reference
from partnernet.exchange.services import ImportRejected, import_file
from partnernet.support.candidates import stewardship_rows
from tests.factories import ClaimFactory, StewardshipFactory, facilitator, seeded_entity

pytestmark = pytest.mark.django_db

PEER = "pn-0123456789abcdef"


def claimed() -> Entity:
    """Wikimedia Sweden with an approved claim here: homed here, its claimant an admin."""
    claim = ClaimFactory()
    joining.decide_claim(facilitator(), claim, approve=True)
    return seeded_entity()


def seed_values(entity: Entity) -> tuple[object, ...]:
    fresh = Entity.objects.get(pk=entity.pk)
    return (
        fresh.languages,
        fresh.website,
        fresh.wikidata,
        fresh.legal_identity,
        fresh.staff_fte,
        fresh.founded,
    )


def test_seeded_affiliates_carry_cldr_languages_marked_as_derived() -> None:
    sweden = seeded_entity()
    assert sweden.languages == ["sv"]
    assert sweden.languages_derived is True
    assert "Unicode CLDR official languages" in sweden.source_url
    assert "github:schiste/wikimedia-round-generator" in sweden.source_url  # the shipped source stays
    assert seeded_entity("wikimedia-switzerland").languages == ["de", "fr", "it"]
    no_country = Entity.objects.filter(origin="seed", country__isnull=True).first()
    assert no_country is not None
    assert no_country.languages == []
    assert not no_country.languages_derived


def test_admins_edit_the_profile_beside_the_unchanged_seed_row() -> None:
    sweden = claimed()
    before = seed_values(sweden)
    edit_profile(
        None,
        sweden,
        {"languages": ["sv", "en", "se"], "website": "https://wikimedia.se", "staff_fte": "12.5",
         "wikidata": "Q15290276", "legal_identity": "yes", "founded": 2007, "contact": "info@wikimedia.se"},
    )  # fmt: skip
    assert seed_values(sweden) == before
    shown = with_profile(seeded_entity())
    assert shown.languages == ["en", "se", "sv"]
    assert shown.languages_derived is False
    assert shown.website == "https://wikimedia.se"
    assert shown.staff_fte == Decimal("12.50")
    assert shown.contact == "info@wikimedia.se"
    event = AuditEvent.objects.get(verb="update_entity_profile")
    assert event.changes["website"] == ["", "https://wikimedia.se"]


def test_a_profile_without_languages_still_shows_the_derived_ones() -> None:
    shown = with_profile(claimed())
    assert shown.languages == ["sv"]
    assert shown.languages_derived is True


def test_bad_profile_values_are_refused_and_change_nothing() -> None:
    sweden = claimed()
    with pytest.raises(RecordRejected) as refused:
        edit_profile(None, sweden, {"website": "not a url", "contact": "nobody", "founded": 99})
    assert set(refused.value.fields) == {"website", "contact", "founded"}
    assert EntityProfile.objects.get(entity=sweden).website == ""


def test_only_the_home_accepts_edits_and_says_where_the_home_is() -> None:
    sweden = seeded_entity()
    with pytest.raises(NotHome, match="no home yet"):
        edit_profile(None, sweden, {"website": "https://wikimedia.se"})
    Entity.objects.filter(pk=sweden.pk).update(home=PEER)
    with pytest.raises(NotHome, match=f"homed at {PEER}"):
        edit_profile(None, seeded_entity(), {"website": "https://wikimedia.se"})
    assert not EntityProfile.objects.exists()


def test_a_reseed_keeps_the_profile_and_the_home() -> None:
    sweden = claimed()
    edit_profile(None, sweden, {"website": "https://wikimedia.se", "volunteers": 40})
    seed_reference()
    again = seeded_entity()
    assert again.home == instance_id()
    shown = with_profile(again)
    assert (shown.website, shown.volunteers) == ("https://wikimedia.se", 40)
    assert seeded_entity().website == ""  # the seed row is still the reference data


def test_profiles_export_and_import_round_trip(tmp_path: Path) -> None:
    sweden = claimed()
    edit_profile(None, sweden, {"website": "https://wikimedia.se", "description": "Line one,\nline two.",
                                "staff_fte": "3.25", "legal_identity": "yes"})  # fmt: skip
    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"profiles.{fmt}"
        call_command("export", "profiles", "--format", fmt, "--output", str(out))
        result = import_file("profiles", out)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    EntityProfile.objects.all().delete()
    result = import_file("profiles", tmp_path / "profiles.csv")
    assert result.created == 1
    shown = with_profile(seeded_entity())
    assert (shown.website, shown.staff_fte, shown.description) == (
        "https://wikimedia.se",
        Decimal("3.25"),
        "Line one,\nline two.",
    )
    assert AuditEvent.objects.filter(verb="import_entityprofile").exists()


def test_importing_a_profile_of_an_entity_homed_elsewhere_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "profiles.jsonl"
    source.write_text(json.dumps({"key": "wikimedia-sweden", "website": "https://wikimedia.se"}) + "\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file("profiles", source)
    assert "no home yet" in rejected.value.problems[0].message
    assert not EntityProfile.objects.exists()


def test_a_peers_profile_teaches_the_home_and_wins_on_display() -> None:
    values = {"key": "wikimedia-sweden", "website": "https://wikimedia.se", "legal_identity": "no"}
    problems, created, _ = PROFILES.upsert_foreign(PEER, [ForeignRow(uuid.uuid4(), values)])
    assert (problems, created) == ({}, 1)
    sweden = seeded_entity()
    assert sweden.home == PEER
    assert with_profile(sweden).website == "https://wikimedia.se"
    assert AuditEvent.objects.get(verb="learn_entity_home").changes == {"home": ["", PEER]}


def test_routing_reads_the_legal_identity_the_home_keeps() -> None:
    sweden = claimed()
    stewardship = StewardshipFactory(entity=sweden)

    def legal() -> object:
        row = next(r for r in stewardship_rows() if r[0] == stewardship.pk)
        return row[15]

    assert legal() in (True, 1)
    edit_profile(None, sweden, {"legal_identity": "no"})
    assert legal() in (False, 0)


def test_moving_the_home_away_stops_edits_and_moving_it_here_keeps_what_was_shown() -> None:
    sweden = claimed()
    edit_profile(None, sweden, {"website": "https://wikimedia.se"})
    move_home(None, sweden, PEER)
    with pytest.raises(NotHome, match=f"homed at {PEER}"):
        edit_profile(None, seeded_entity(), {"website": "https://example.org"})
    assert AuditEvent.objects.get(verb="move_entity_home").changes == {"home": [instance_id(), PEER]}
    EntityProfile.objects.all().delete()
    PROFILES.upsert_foreign(PEER, [ForeignRow(uuid.uuid4(), {"key": "wikimedia-sweden", "volunteers": 7})])
    move_home(None, seeded_entity(), instance_id())
    mine = EntityProfile.objects.get(origin=instance_id())
    assert mine.volunteers == 7


def test_move_home_command_is_audited_and_refuses_bad_input() -> None:
    out = io.StringIO()
    call_command("entity", "move-home", "wikimedia-sweden", "--to", PEER, "--json", stdout=out)
    assert json.loads(out.getvalue())["home"] == PEER
    assert seeded_entity().home == PEER
    with pytest.raises(CommandError) as error:
        call_command("entity", "move-home", "no-such-entity", "--to", PEER)
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        call_command("entity", "move-home", "wikimedia-sweden", "--to", "not an id")
    assert error.value.returncode == 2
    assert seeded_entity().home == PEER


def test_the_language_filter_reads_the_languages_the_home_states() -> None:
    from partnernet.framework.selectors import entities_matching

    def found(language: str) -> bool:
        matching = entities_matching(Entity.objects.all(), language=language)
        return matching.filter(key="wikimedia-sweden").exists()

    assert found("sv")
    sweden = claimed()
    assert found("sv")  # a profile that states no languages keeps the derived ones
    edit_profile(None, sweden, {"languages": ["en", "se"]})
    assert found("se")
    assert not found("sv")
