"""Forms of the registry: the filter bar, the partnership form and the agreement upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.core.search import parse_text_query
from partnernet.directory.models import Entity, Partner
from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import DEFAULT_SORT, RELEVANCE, SORTS, RegistryFilter
from partnernet.web.validators import UploadCheck


class RegistryFilterForm(forms.Form):
    """The registry's filters. Values are keys and codes, so a filtered URL can be shared and bookmarked."""

    q = forms.CharField(
        label=_("Search"),
        help_text=_("Titles, descriptions, lead entities and partners. Put a phrase in quotes."),
        required=False,
        max_length=200,
    )
    type = forms.SlugField(label=_("Partnership type"), required=False)
    theme = forms.SlugField(label=_("Theme"), required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=3)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Partnership.Status.choices]
    )
    lead = forms.SlugField(label=_("Lead entity (key)"), required=False)
    partner_kind = forms.ChoiceField(
        label=_("Partner kind"), required=False, choices=[("", _("Any kind")), *Partner.Kind.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (RELEVANCE, _("Best match")),
            ("-start", _("Newest first")),
            ("start", _("Oldest first")),
            ("title", _("Title (A to Z)")),
            ("-title", _("Title (Z to A)")),
        ],
    )

    def registry_filter(self) -> RegistryFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return RegistryFilter(
            **{name: (data.get(name) or "") for name in RegistryFilter.__dataclass_fields__}
        )

    def ordering(self) -> str:
        """The chosen order; without a choice, best match first when searching, else newest first."""
        value = self.chosen_ordering()
        if value in SORTS:
            return value
        return RELEVANCE if self.searching() and value in ("", RELEVANCE) else DEFAULT_SORT

    def searching(self) -> bool:
        """Whether the search box holds at least one word (punctuation alone searches nothing)."""
        return bool(self.is_valid() and parse_text_query(self.cleaned_data.get("q") or ""))

    def chosen_ordering(self) -> str:
        """The order asked for in the query string ('' when none), kept when the filters change."""
        return (self.cleaned_data.get("sort") or "") if self.is_valid() else ""


class PartnershipForm(forms.ModelForm[Partnership]):
    """Create or edit a partnership. The lead must be an entity the person belongs to (facilitators: any)."""

    class Meta:
        model = Partnership
        fields = (
            "title", "description", "lead", "supporters", "partners", "type", "themes", "region", "status",
            "start", "end", "visibility",
        )  # fmt: skip
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "visibility": _(
                "Public: everyone. Movement: members of movement entities. Private: the parties."
            ),
            "supporters": _("Entities that support the lead in this partnership."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        leads = Entity.objects.order_by("name")
        if not is_facilitator(user):
            leads = leads.filter(pk__in=entity_ids_of(user))
        fields: dict[str, Any] = self.fields
        fields["lead"].queryset = leads
        fields["supporters"].queryset = Entity.objects.order_by("name")
        fields["partners"].queryset = Partner.objects.order_by("name")
        fields["type"].queryset = PartnershipType.objects.filter(active=True)
        fields["themes"].queryset = Theme.objects.filter(active=True)
        fields["region"].queryset = Region.objects.order_by("path")
        fields["region"].help_text = _("Any level: the world, a region, a sub-region or a country.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        lead = data.get("lead")
        if lead is not None and lead in (data.get("supporters") or []):
            self.add_error("supporters", _("The lead cannot also be a supporter."))
        return data


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF or office document, up to 10 MB."),
        validators=[UploadCheck(max_bytes=10 * 1024 * 1024)],
    )
