"""Forms of the impact pages: record an outcome, add a source to fetch, tune the rubric's weights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.base.pickers import PickerField
from partnernet.impact.connectors import dashboard, pageviews, wikidata
from partnernet.impact.connectors.http import ConnectorError
from partnernet.impact.indicators import CHOICES, INDICATORS
from partnernet.impact.kinds import TEXT_LIMIT, URL_LIMIT
from partnernet.impact.models import Connector, Criterion


class ReportFilterForm(forms.Form):
    """The impact report's filters, picked with the picker; an unknown value is an error next to its field
    and filters nothing."""

    type = PickerField("types", label=_("Type"), required=False)
    theme = PickerField("themes", label=_("Theme"), required=False)
    region = PickerField("regions", label=_("Region"), required=False)
    entity = PickerField("entities", label=_("Entity"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "type": data["type"].key if data.get("type") else None,
            "theme": data["theme"].key if data.get("theme") else None,
            "region": data["region"].code if data.get("region") else None,
            "entity": data["entity"].key if data.get("entity") else None,
            "year": data.get("year"),
        }


class DateInput(forms.DateInput):
    input_type = "date"


class OutcomeForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=CHOICES)
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)
    value = forms.DecimalField(
        label=_("Value"), required=False, min_value=Decimal(0), max_digits=16, decimal_places=2
    )
    text = forms.CharField(
        label=_("Result in words"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measured_on = forms.DateField(label=_("Data as of"), widget=DateInput)
    source_url = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=URL_LIMIT,
        help_text=_("Where the figure comes from."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=URL_LIMIT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator = data.get("indicator")
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if indicator and INDICATORS[indicator].numeric:
            if data.get("value") is None:
                self.add_error("value", _("This indicator needs a number."))
            data["text"] = ""
        elif indicator:
            if not data.get("text"):
                self.add_error("text", _("Describe the result in words."))
            data["value"] = None
        return data


def _check_target(connector: str, target: str) -> None:
    if connector == Connector.WIKIDATA:
        wikidata.parse_target(target)
    elif connector == Connector.PAGEVIEWS:
        pageviews.parse_target(target)
    elif connector == Connector.DASHBOARD:
        dashboard.parse_target(target)
    elif not target.strip():
        raise ConnectorError(_("a Commons source needs a category name"))


class OutcomeSourceForm(forms.Form):
    connector = forms.ChoiceField(label=_("Connector"), choices=Connector.choices)
    target = forms.CharField(
        label=_("What to read"),
        max_length=TEXT_LIMIT,
        help_text=_(
            "Commons: Category:Name · Wikidata: Q1; Q2 or one property P123 · Page views: "
            "de.wikipedia: Article; Article · Dashboard: campaigns/slug or courses/School/Title"
        ),
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("connector") and data.get("target"):
            try:
                _check_target(data["connector"], data["target"])
            except ConnectorError as exc:
                self.add_error("target", str(exc))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class RubricWeightsForm(forms.Form):
    """One weight field per criterion, named ``weight-<id>``."""

    def __init__(self, criteria: list[Criterion], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"weight-{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                initial=criterion.weight,
                min_value=Decimal(0),
                max_digits=5,
                decimal_places=2,
                help_text=criterion.description,
            )

    def weights(self) -> dict[Criterion, Decimal]:
        return {c: self.cleaned_data[f"weight-{c.pk}"] for c in self.criteria}


class ScoresForm(forms.Form):
    """A score (or none) and a rationale per criterion of the evaluation's rubric."""

    def __init__(self, evaluation: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(evaluation.rubric.criteria.all())
        current = {s.criterion_id: s for s in evaluation.scores.all()}
        for criterion in self.criteria:
            score = current.get(criterion.pk)
            self.fields[f"score-{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                required=False,
                min_value=0,
                max_value=evaluation.rubric.scale_max,
                initial=score.score if score else None,
                help_text=criterion.description,
            )
            self.fields[f"rationale-{criterion.pk}"] = forms.CharField(
                label=_("Why"),
                required=False,
                max_length=TEXT_LIMIT,
                initial=score.rationale if score else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (self.cleaned_data[f"score-{c.pk}"], self.cleaned_data[f"rationale-{c.pk}"].strip())
            for c in self.criteria
        }
