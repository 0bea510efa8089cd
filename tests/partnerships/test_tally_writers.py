"""Writers that go around the partnership services keep the registry's facet tally exact themselves.

Each test makes the tally fresh, forbids rebuilding it, runs a writer, and then compares the tally it kept
with a recount from scratch. The registry page afterwards must not rebuild either.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from partnernet.core.federation.activities import Activity, Verb
from partnernet.core.federation.identity import GlobalId
from partnernet.core.synthetic import Shape
from partnernet.directory.models import Partner
from partnernet.directory.services import PARTNERS, update_partner
from partnernet.exchange import services
from partnernet.exchange.generation import generate
from partnernet.exchange.services import import_file
from partnernet.federation.apply import apply_page
from partnernet.federation.models import Peer
from partnernet.partnerships import tally
from partnernet.partnerships.models import Partnership, RegistryTally, RegistryTallyState
from partnernet.partnerships.services import PARTNERSHIPS
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, UserFactory, region, theme

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]

FAR = "pn-0a1b2c3d4e5f6a7b"


def _cells() -> dict[tuple[str, ...], int]:
    rows = RegistryTally.objects.exclude(count=0)
    return {(r.dimension, r.value, r.visibility, r.type_key, r.status, r.region_code): r.count for r in rows}


def assert_tally_is_a_fresh_recount(rebuild: object) -> None:
    assert tally.tally_is_fresh(), "the writer left the tally stale: pages would count live"
    kept = _cells()
    RegistryTallyState.objects.update(fingerprint="forced")
    rebuild()  # type: ignore[operator]
    assert kept == _cells()


@pytest.fixture
def rebuild(monkeypatch: pytest.MonkeyPatch) -> object:
    """Partnerships with partners and themes, a fresh tally, and then any rebuild fails the test.

    Returns the real rebuild, for the comparison at the end.
    """
    lead = EntityFactory(key="lead-one")
    museum = PartnerFactory(key="museum-one", kind="museum")
    for key, status in (("first", "active"), ("second", "prospect")):
        p = PartnershipFactory(key=key, lead=lead, status=status, region=region("SE"))
        p.partners.add(museum)
        p.themes.add(theme("science"))
    real = tally.rebuild_registry_tally
    real()
    assert tally.tally_is_fresh()
    monkeypatch.setattr(tally, "rebuild_registry_tally", lambda: pytest.fail("the tally was rebuilt"))
    return real


def test_an_import_of_new_and_changed_partnerships_counts_them(tmp_path: Path, rebuild: object) -> None:
    EntityFactory(key="lead-two")
    PartnerFactory(key="library-one", kind="library")
    path = tmp_path / "p.csv"
    path.write_text(
        "key,title,lead,partners,type,themes,region,status,visibility\n"
        "first,First again,lead-two,library-one,education,climate,GH,concluded,movement\n"
        "third,Third,lead-one,museum-one;library-one,glam,science;climate,150,active,public\n",
        encoding="utf-8",
    )
    assert import_file("partnerships", path).as_dict() == {
        "kind": "partnerships",
        "created": 1,
        "updated": 1,
        "unchanged": 0,
    }
    assert_tally_is_a_fresh_recount(rebuild)


def test_an_import_that_changes_a_partners_kind_moves_its_partnerships(
    tmp_path: Path, rebuild: object
) -> None:
    path = tmp_path / "partners.csv"
    path.write_text("key,name,kind\nmuseum-one,Now an archive,archive\n", encoding="utf-8")
    import_file("partners", path)
    assert_tally_is_a_fresh_recount(rebuild)
    assert not RegistryTally.objects.filter(dimension="partner_kind_all", value="museum").exclude(count=0)


def test_an_import_in_chunks_counts_a_partnership_that_two_of_its_partners_share_once(
    tmp_path: Path, rebuild: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "IMPORT_CHUNK", 1)
    library = PartnerFactory(key="library-one", kind="library")
    Partnership.objects.get(key="first").partners.add(library)
    RegistryTallyState.objects.update(fingerprint="forced")  # the link was added around the tally
    rebuild()  # type: ignore[operator]
    path = tmp_path / "partners.csv"
    path.write_text(
        "key,name,kind\nmuseum-one,Now an archive,archive\nlibrary-one,Now a university,university\n",
        encoding="utf-8",
    )
    assert import_file("partners", path).updated == 2
    assert_tally_is_a_fresh_recount(rebuild)
    kinds = RegistryTally.objects.filter(dimension="partner_kind_all").exclude(count=0)
    assert sorted(kinds.values_list("value", flat=True).distinct()) == ["archive", "university"]


def test_an_import_repairs_a_tally_that_was_stale_before_it(tmp_path: Path) -> None:
    PartnershipFactory(status="paused")
    assert not tally.tally_is_fresh()
    EntityFactory(key="lead-three")
    path = tmp_path / "p.csv"
    path.write_text("key,title,lead,type,status\nnew-one,New,lead-three,glam,active\n", encoding="utf-8")
    import_file("partnerships", path)
    assert_tally_is_a_fresh_recount(tally.rebuild_registry_tally)


def test_generate_counts_every_batch(rebuild: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from partnernet.exchange import generation

    monkeypatch.setattr(generation, "BATCH", 300)
    generate(Shape(entities=50, partnerships=1000, seed=7))
    assert Partnership.objects.filter(key__startswith="gen7-").count() == 1000
    assert_tally_is_a_fresh_recount(rebuild)


def test_api_record_writes_keep_the_tally(rebuild: object) -> None:
    actor = UserFactory(is_superuser=True)
    values = {"key": "via-api", "title": "Via API", "lead": "lead-one", "type": "media", "status": "active",
              "partners": ["museum-one"], "themes": ["climate"], "region": "GH"}  # fmt: skip
    created = PARTNERSHIPS.create(actor, values)
    assert_tally_is_a_fresh_recount(rebuild)
    PARTNERSHIPS.update(actor, created, {"status": "paused", "themes": [], "visibility": "movement"})
    assert_tally_is_a_fresh_recount(rebuild)
    PARTNERS.update(actor, Partner.objects.get(key="museum-one"), {"kind": "gallery"})
    assert_tally_is_a_fresh_recount(rebuild)
    PARTNERS.delete(actor, Partner.objects.get(key="museum-one"))
    assert_tally_is_a_fresh_recount(rebuild)
    PARTNERSHIPS.delete(actor, Partnership.objects.get(key="via-api"))
    assert_tally_is_a_fresh_recount(rebuild)


def test_a_partner_form_changing_the_kind_moves_its_partnerships(rebuild: object) -> None:
    partner = Partner.objects.get(key="museum-one")
    update_partner(UserFactory(is_superuser=True), partner, {"name": partner.name, "kind": "university"})
    assert_tally_is_a_fresh_recount(rebuild)


def _activity(sequence: int, key: str, verb: Verb = Verb.CREATE, **fields: object) -> Activity:
    return Activity(
        verb=verb,
        actor=FAR,
        sequence=sequence,
        published=datetime(2026, 11, 1, tzinfo=UTC),
        record=GlobalId(FAR, uuid.uuid5(uuid.NAMESPACE_URL, key)),
        kind="partners" if key.startswith("partner") else "partnerships",
        key=key,
        fields=None if verb is Verb.DELETE else fields,  # type: ignore[arg-type]
    )


def test_federation_pages_keep_the_tally(rebuild: object, client: Client) -> None:
    peer = Peer.objects.create(
        instance_id=FAR, base_url="http://far.example", public_key="A" * 43 + "=", fingerprint="ab" * 32
    )
    deal = {"title": "Far deal", "lead": "lead-one", "type": "research", "status": "active", "region": "GH",
            "themes": ["health"], "visibility": "public"}  # fmt: skip
    first = apply_page(
        peer,
        [
            _activity(1, "partner-far", name="Far library", kind="library"),
            _activity(2, "far-deal", **deal, partners=["partner-far"]),
            _activity(3, "far-other", **{**deal, "status": "prospect"}),
        ],
        3,
        {},
    )
    assert (first.created, first.problems) == (3, [])
    assert_tally_is_a_fresh_recount(rebuild)
    second = apply_page(
        peer,
        [
            _activity(4, "far-deal", Verb.UPDATE, **{**deal, "status": "concluded", "themes": []}),
            _activity(5, "partner-far", Verb.UPDATE, name="Far archive", kind="archive"),
            _activity(6, "far-other", Verb.DELETE),
        ],
        6,
        {},
    )
    assert (second.updated, second.deleted, second.problems) == (2, 1, [])
    assert_tally_is_a_fresh_recount(rebuild)
    assert client.get(reverse("partnerships:registry")).status_code == 200


def test_a_merge_of_partnership_types_moves_the_counts(rebuild: object) -> None:
    from partnernet.framework.applying import _merge_terms
    from partnernet.framework.models import Proposal

    proposal = Proposal(changes={"subject": "type", "key": "glam", "into": "education"})
    _merge_terms(proposal)
    assert not Partnership.objects.filter(type__key="glam").exists()
    assert_tally_is_a_fresh_recount(rebuild)


def test_a_delete_around_every_writer_leaves_the_tally_stale() -> None:
    """A partnership deleted by raw SQL moves the table's delete mark, so readers count live instead of
    trusting a tally that still counts it."""
    PartnershipFactory()
    gone = PartnershipFactory()
    tally.rebuild_registry_tally()
    assert tally.tally_is_fresh()
    with connection.cursor() as cursor:
        for table in ("supporters", "partners", "themes"):
            link = f"partnerships_partnership_{table}"
            cursor.execute(f"DELETE FROM {link} WHERE partnership_id = %s", [gone.pk])  # noqa: S608
        cursor.execute("DELETE FROM partnerships_partnership WHERE id = %s", [gone.pk])
    assert not tally.tally_is_fresh()


def test_migrate_carries_a_fresh_tally_over_to_the_new_fingerprint() -> None:
    """An instance upgraded from fingerprints with a row count keeps its exact tally through ``migrate``."""
    PartnershipFactory()
    tally.rebuild_registry_tally()
    RegistryTallyState.objects.update(fingerprint=tally.legacy_fingerprint())
    assert not tally.tally_is_fresh() or connection.vendor not in ("sqlite", "postgresql")
    tally.carry_tally_state()
    assert tally.tally_is_fresh()
    RegistryTallyState.objects.update(fingerprint="0:1:2")
    tally.carry_tally_state()
    assert not tally.tally_is_fresh(), "a tally that was not exact before stays stale"
