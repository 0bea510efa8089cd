"""A registry row (``partnerships/templatetags/registry.py``): every shown column, escaped, with "—" for
what is missing, and a badge for a row another instance owns; and the cells of an entity's or a partner's
list of partnerships."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from partnernet.partnerships.templatetags.registry import partnership_cells, registry_row
from tests.factories import PartnershipFactory, region

pytestmark = pytest.mark.django_db


def test_a_row_links_title_and_lead_and_escapes_them() -> None:
    p = PartnershipFactory(title="<script>x</script> & co", region=region("154"), visibility="movement")
    html = registry_row(p)
    assert f'<a href="{reverse("partnerships:detail", args=[p.key])}"><bdi dir="auto">' in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in html
    assert "<script>" not in html
    assert f'<a href="{reverse("directory:entity", args=[p.lead.key])}">' in html
    assert f"<td>{p.type.label}</td>" in html
    assert f"<td>{p.region.label}</td>" in html
    assert "<td>2024-01-01</td>" in html
    assert f"<td>{p.get_status_display()}</td>" in html
    assert 'class="pn-badge pn-badge-movement"' in html


def test_missing_region_and_start_show_a_dash() -> None:
    html = registry_row(PartnershipFactory(region=None, start=None))
    assert html.count("<td>—</td>") == 2


def test_a_row_from_another_instance_carries_its_badge() -> None:
    html = registry_row(PartnershipFactory(origin="peer.example"))
    assert "pn-badge-foreign" in html
    assert "peer.example" in html


def test_list_cells_link_the_title_escaped_and_name_a_peers_origin() -> None:
    own = PartnershipFactory(title="<b>Bold</b> & co", lead__name="Muséum <x>", start=None)
    html = partnership_cells(own)
    assert html.startswith(f'<td><a href="{reverse("partnerships:detail", args=[own.key])}"><bdi dir="auto">')
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "Muséum &lt;x&gt;" in html
    assert f"<td>{own.type.label}</td><td>{own.get_status_display()}</td><td>—</td>" in html
    copy = PartnershipFactory(key=own.key, origin="peer.example", start=dt.date(2023, 5, 6))
    html = partnership_cells(copy)
    assert f'href="{reverse("partnerships:detail", args=[own.key])}?origin=peer.example"' in html
    assert "<td>2023-05-06</td>" in html
