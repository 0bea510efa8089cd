"""The shared indicator dictionary: one definition of every figure Partnernet reports.

Every outcome names one of these codes, and every page links a figure to its definition here, so "files
used in articles" means the same thing in Accra and in Stockholm. The dictionary is code, not data: it is the
same on every instance, so federated outcomes stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    unit: str | Promise
    counted: str | Promise
    """How the figure is counted, including which connector fetches it (if any)."""
    numeric: bool = True


INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in (
        Indicator(
            "media_uploaded",
            _("Media files uploaded"),
            _("files"),
            _(
                "Files in the partnership's Wikimedia Commons category and its subcategories that were added "
                "to the category within the period (Commons connector: categorymembers, namespace File)."
            ),
        ),
        Indicator(
            "files_in_use",
            _("Files used in articles"),
            _("files"),
            _(
                "Distinct files of the partnership that are used in at least one article (main namespace) of "
                "any Wikimedia wiki on the day measured (Commons connector: globalusage)."
            ),
        ),
        Indicator(
            "wikidata_items_created",
            _("Wikidata items created"),
            _("items"),
            _(
                "Items of the partnership's list (or carrying its property) whose first revision falls "
                "within the period (Wikidata connector)."
            ),
        ),
        Indicator(
            "wikidata_items_edited",
            _("Wikidata items edited"),
            _("items"),
            _("Items of the partnership's list (or property) with at least one edit within the period."),
        ),
        Indicator(
            "wikidata_edits",
            _("Wikidata edits"),
            _("edits"),
            _("Revisions made to the partnership's items within the period (Wikidata connector)."),
        ),
        Indicator(
            "articles_created",
            _("Articles created"),
            _("articles"),
            _(
                "New articles counted by the Programs & Events Dashboard for the partnership's campaign or "
                "course, or entered by the partnership."
            ),
        ),
        Indicator(
            "articles_improved",
            _("Articles improved"),
            _("articles"),
            _("Articles edited by participants, as counted by the Programs & Events Dashboard or entered."),
        ),
        Indicator(
            "page_views",
            _("Page views"),
            _("views"),
            _(
                "Views by people (agent 'user', all access methods) of the partnership's articles within the "
                "period (Pageviews REST API, per article, monthly)."
            ),
        ),
        Indicator(
            "participants",
            _("Participants"),
            _("people"),
            _("People enrolled in the partnership's events or courses (Dashboard) or counted by organisers."),
        ),
        Indicator(
            "events",
            _("Events"),
            _("events"),
            _("Events, courses or edit-a-thons held (Dashboard courses of a campaign, or entered)."),
        ),
        Indicator(
            "results",
            _("Results"),
            _("text"),
            _("Results in words: what changed that numbers do not show. Never added up."),
            numeric=False,
        ),
    )
}

NUMERIC = tuple(code for code, indicator in INDICATORS.items() if indicator.numeric)
CHOICES = [(code, indicator.name) for code, indicator in INDICATORS.items()]
