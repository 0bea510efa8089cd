import pytest
from django.core.management import call_command

from partnernet.base.models import SEED_ORIGIN
from partnernet.directory.models import Entity, Partner
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest

pytestmark = pytest.mark.django_db

MODELS = (PartnershipType, Theme, Region, Entity, Partner, Stewardship, Partnership, SupportRequest)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_reference_data_holds_the_taxonomy_every_m49_region_and_the_real_affiliates() -> None:
    assert sorted(PartnershipType.objects.values_list("key", flat=True)) == sorted(
        ["glam", "education", "open_data", "technology", "research", "policy", "media", "funding"]
    )
    assert Theme.objects.count() == 10
    assert Region.objects.filter(level="country").count() == 249
    assert Region.objects.get(code="GH").path == "/001/002/202/011/GH/"
    assert Region.objects.get(code="SE").m49 == "752"
    real = Entity.objects.filter(origin=SEED_ORIGIN)
    assert real.count() == 203
    sweden = real.get(key="wikimedia-sweden")
    assert (sweden.kind, sweden.country.code, sweden.legal_identity) == ("chapter", "SE", True)
    assert "github:schiste/wikimedia-round-generator" in sweden.source_url
    assert real.get(key="wikimedia-germany").wikidata == "Q8288"
    assert sorted(r.code for r in real.get(key="eseap-hub").regions.all()) == ["009", "142"]


def test_seed_demo_twice_leaves_identical_counts_and_rows() -> None:
    call_command("seed", demo=True, verbosity=0)
    first = counts()
    stamps = list(Partnership.objects.order_by("pk").values_list("updated_at", flat=True))
    call_command("seed", demo=True, verbosity=0)
    assert counts() == first
    assert list(Partnership.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


@pytest.mark.usefixtures("demo_data")
def test_demo_adds_the_53_real_partnerships_with_sources() -> None:
    real = Partnership.objects.filter(is_demo=False)
    assert real.count() == 53
    assert all(p.source_url for p in real)
    bundesarchiv = real.get(lead__key="wikimedia-germany")
    assert bundesarchiv.partners.get().kind == "archive"
    assert bundesarchiv.start.year == 2008
    tropenmuseum = Partner.objects.get(name="Tropenmuseum")
    assert tropenmuseum.partnerships.count() == 2


@pytest.mark.usefixtures("demo_data")
def test_demo_rows_are_labelled_everywhere_and_cover_all_visibilities() -> None:
    demo = Partnership.objects.filter(is_demo=True)
    assert set(demo.values_list("visibility", flat=True)) == {"public", "movement", "private"}
    for model, label in ((Partnership, "title"), (Entity, "name"), (Partner, "name")):
        for row in model.objects.filter(is_demo=True):
            assert row.key.startswith("demo-")
            assert getattr(row, label).startswith("Demo ·")
    assert Stewardship.objects.filter(is_demo=True).count() == 20
    assert all(s.commitments.startswith("Demo ·") for s in Stewardship.objects.all())
    routed = SupportRequest.objects.filter(steward__isnull=False)
    assert routed.exists()
    assert all(r.stewardship is not None and r.stewardship.entity_id == r.steward_id for r in routed)
