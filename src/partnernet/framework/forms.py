"""Forms of the agreement process. They parse and label; the services decide and say what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnernet.base.fields import TEXT_LIMIT
from partnernet.base.pickers import PickerField
from partnernet.directory.models import Entity
from partnernet.framework.models import (
    EndorsementStance,
    ProposalKind,
    QuorumRule,
    StewardshipLevel,
    TermSubject,
)

FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    ProposalKind.TAKE_UP: (
        "type",
        "theme",
        "region",
        "level",
        "capacity",
        "response_days",
        "commitments",
        "term_start",
        "term_end",
    ),
    ProposalKind.CHANGE: ("stewardship", "level", "capacity", "response_days", "commitments", "term_end"),
    ProposalKind.RETIRE: ("stewardship",),
    ProposalKind.ADD_TERM: ("subject", "new_key", "name", "description", "members"),
    ProposalKind.RENAME_TERM: ("subject", "term", "name"),
    ProposalKind.MERGE_TERMS: ("subject", "term", "into"),
    ProposalKind.RETIRE_TERM: ("subject", "term"),
}


class ProposalForm(forms.Form):
    """One form for every kind; only the fields of ``kind`` are kept. Cell codes are typed, not picked,
    so a cell that does not exist gets its message from the service, next to the field."""

    proposer = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("On behalf of"))
    title = forms.CharField(label=_("Title"), max_length=300)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea, max_length=TEXT_LIMIT)
    type = PickerField("types", label=_("Partnership type"))
    theme = PickerField("themes", label=_("Theme"), required=False, help_text=_("Empty means any theme."))
    region = PickerField(
        "regions",
        label=_("Region"),
        help_text=_("A country or a wider region, down to the whole world."),
    )
    stewardship = forms.CharField(label=_("Stewardship (key)"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *StewardshipLevel.choices])
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=0, help_text=_("Support cases held at once.")
    )
    response_days = forms.IntegerField(label=_("Response time (days)"), min_value=1, required=False)
    commitments = forms.CharField(
        label=_("Commitments"), widget=forms.Textarea, required=False, max_length=TEXT_LIMIT
    )
    term_start = forms.DateField(
        label=_("Term start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=_("Term end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.ChoiceField(label=_("Change to a"), choices=TermSubject.choices)
    term = forms.CharField(label=_("Type or theme (key)"), max_length=100)
    into = forms.CharField(label=_("Merge into (key)"), max_length=100)
    new_key = forms.SlugField(label=_("New key"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, max_length=TEXT_LIMIT
    )
    members = forms.CharField(
        label=_("Regions of the grouping"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("For a region grouping: M49 or country codes separated by spaces, such as 151 PL CZ."),
    )

    def __init__(self, *args: Any, kind: str, entities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"proposer", "title", "rationale", *FIELDS_BY_KIND[kind]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["proposer"].queryset = entities  # type: ignore[attr-defined]
        suggestions = {"term": "pn-term-keys", "into": "pn-term-keys"}
        for name, datalist in suggestions.items():
            if name in self.fields:
                self.fields[name].widget.attrs["list"] = datalist
        if kind in (ProposalKind.ADD_TERM, ProposalKind.RENAME_TERM):
            for code, language in settings.LANGUAGES:
                if code != settings.LANGUAGE_CODE:
                    self.fields[f"label_{code}"] = forms.CharField(
                        label=_("Name in %(language)s") % {"language": language},
                        required=False,
                        max_length=200,
                        widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
                    )
        if kind == ProposalKind.CHANGE:
            for name in ("level", "capacity"):
                self.fields[name].required = False
                self.fields[name].help_text = _("Leave empty to keep the current value.")

    def data_for_service(self) -> dict[str, Any]:
        """The values as the service takes them from any caller: keys, codes and ISO dates."""
        values = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("proposer", "title", "rationale") and not k.startswith("label_")
        }
        labels = {
            k.removeprefix("label_"): v for k, v in self.cleaned_data.items() if k.startswith("label_") and v
        }
        if labels:
            values["labels"] = labels
        plain = {
            "type": lambda t: t.key,
            "theme": lambda t: t.key,
            "region": lambda r: r.code,
        }
        return {
            k: plain[k](v) if k in plain else (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in values.items()
            if v is not None
        }

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class EndorseForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Voice of"))
    stance = forms.ChoiceField(label=_("Stance"), choices=EndorsementStance.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea, required=False, max_length=TEXT_LIMIT
    )

    def __init__(self, *args: Any, entities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Add to the discussion"), widget=forms.Textarea, max_length=TEXT_LIMIT)


class QuorumRuleForm(forms.ModelForm[QuorumRule]):
    class Meta:
        model = QuorumRule
        fields = (
            "min_participants",
            "share_numerator",
            "share_denominator",
            "require_affected_region",
            "duration_days",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        numerator, denominator = cleaned.get("share_numerator"), cleaned.get("share_denominator")
        if numerator is not None and denominator is not None and not 1 <= numerator <= denominator:
            self.add_error(
                "share_numerator", _("The share lies above 0 and at most 1: numerator ≤ denominator.")
            )
        return cleaned


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("From version"), min_value=1)
    b = forms.IntegerField(label=_("To version"), min_value=1)


class TermLabelsForm(forms.Form):
    """A term's name in every UI language but English (English is the name the agreement process decided)."""

    def __init__(self, *args: Any, term: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term = term
        current = term.labels or {}
        for code, name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            self.fields[f"label_{code}"] = forms.CharField(
                label=name, required=False, max_length=200, initial=current.get(code, "")
            )
            self.fields[f"label_{code}"].widget.attrs["lang"] = code
            self.fields[f"label_{code}"].widget.attrs["dir"] = "auto"

    def labels(self) -> dict[str, str]:
        return {name.removeprefix("label_"): value for name, value in self.cleaned_data.items()}
