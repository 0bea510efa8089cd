"""The registry table's rows, made in Python.

A page shows up to 50 rows of seven cells; rendered by the template language, with two URL tags, two
badge tags and a date filter per row, the rows were most of the page's time. One ``format_html`` per row
writes the same markup, escaped the same way.
"""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partnernet.base.badges import origin_badges, visibility_badge
from partnernet.base.links import keyed_url, record_link
from partnernet.partnerships.models import Partnership

register = template.Library()

ROW = (
    "<tr>"
    '<td><a href="{}"><bdi dir="auto">{}</bdi></a> {}</td>'
    '<td><a href="{}"><bdi dir="auto">{}</bdi></a></td>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    "</tr>"
)


@register.simple_tag
def registry_row(partnership: Partnership) -> SafeString:
    """One row: title (linked, with its origin badges), lead (linked), type, region, status, start and
    visibility; "—" for a missing region or start."""
    p = partnership
    return format_html(
        ROW,
        keyed_url("partnerships:detail", p.key),
        p.title,
        origin_badges(p),
        keyed_url("directory:entity", p.lead.key),
        p.lead.name,
        p.type.label,
        (p.region.label if p.region else "") or "—",
        p.get_status_display(),
        format_date(p.start, "Y-m-d") if p.start else "—",
        visibility_badge(p.visibility, p.get_visibility_display()),
    )


CELLS = (
    '<td><a href="{}"><bdi dir="auto">{}</bdi></a></td>'
    '<td><bdi dir="auto">{}</bdi></td><td>{}</td><td>{}</td><td>{}</td>'
)


@register.simple_tag
def partnership_cells(partnership: Partnership) -> SafeString:
    """A partnership's cells in a list of them (an entity's or a partner's page): title (linked to its page,
    naming a peer's origin, ``record_link``), lead, type, status and start, "—" for no start. Made in
    Python for the reason above: an entity's page lists up to a hundred."""
    p = partnership
    return format_html(
        CELLS,
        record_link("partnerships:detail", p.key, p.origin),
        p.title,
        p.lead.name,
        p.type.label,
        p.get_status_display(),
        format_date(p.start, "Y-m-d") if p.start else "—",
    )
