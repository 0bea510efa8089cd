"""Forms of the registry: the filter bar, the partnership form and the agreement upload."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnernet.base.limits import limited_formfield
from partnernet.base.pickers import PickerField, bind_pickers
from partnernet.base.uploads import UploadCheck
from partnernet.core.search import parse_text_query
from partnernet.directory.models import Partner
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import DEFAULT_SORT, RELEVANCE, SORTS, RegistryFilter


class RegistryFilterForm(forms.Form):
    """The registry's filters. Values are keys and codes, so a filtered URL can be shared and bookmarked."""

    q = forms.CharField(
        label=_("Search"),
        help_text=_("Titles, descriptions, lead entities and partners. Put a phrase in quotes."),
        required=False,
        max_length=200,
    )
    type = forms.SlugField(label=_("Partnership type"), required=False, max_length=64)
    theme = forms.SlugField(label=_("Theme"), required=False, max_length=64)
    region = PickerField("regions", label=_("Region"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Partnership.Status.choices]
    )
    lead = PickerField("entities", label=_("Lead entity"), required=False)
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
        """The filters as keys and codes; the picked region and lead by their code and key."""
        data = dict(self.cleaned_data) if self.is_valid() else {}
        if data.get("region"):
            data["region"] = data["region"].code
        if data.get("lead"):
            data["lead"] = data["lead"].key
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


def _label(name: str) -> Any:
    return capfirst(getattr(Partnership._meta.get_field(name), "verbose_name", name))


class PartnershipForm(forms.ModelForm[Partnership]):
    """Create or edit a partnership. The lead must be an entity the person belongs to (facilitators: any).

    Entities, partners, the type, themes and region are picked with the picker (``partnernet.base.pickers``);
    a partner not yet in the directory is added inline (the ``new_partner_*`` fields) and recorded with the
    partnership in one transaction.
    """

    lead = PickerField("my-entities", label=_label("lead"))
    supporters = PickerField(
        "entities",
        multiple=True,
        required=False,
        label=_label("supporters"),
        help_text=_("Entities that support the lead in this partnership."),
    )
    partners = PickerField("partners", multiple=True, required=False, label=_label("partners"))
    type = PickerField("types", label=_label("type"))
    themes = PickerField("themes", multiple=True, required=False, label=_label("themes"))
    region = PickerField(
        "regions",
        required=False,
        label=_label("region"),
        help_text=_("Any level: the world, a region, a sub-region or a country."),
    )
    new_partner_name = forms.CharField(label=_("Name of the new partner"), required=False, max_length=300)
    new_partner_kind = forms.ChoiceField(
        label=_("Kind of institution"), required=False, choices=[("", "—"), *Partner.Kind.choices]
    )
    new_partner_country = PickerField("countries", required=False, label=_("Country of the new partner"))
    new_partner_website = forms.URLField(
        label=_("Website of the new partner"), required=False, assume_scheme="https", max_length=200
    )
    new_partner_wikidata = forms.CharField(
        label=_("Wikidata item of the new partner"), required=False, max_length=20
    )

    NEW_PARTNER_FIELDS = (
        "new_partner_name", "new_partner_kind", "new_partner_country", "new_partner_website",
        "new_partner_wikidata",
    )  # fmt: skip

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
        }
        formfield_callback = limited_formfield
        help_texts = {
            "visibility": _(
                "Public: everyone. Movement: members of movement entities. Private: the parties."
            ),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        bind_pickers(self, user)

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.NEW_PARTNER_FIELDS]

    def new_partner_fields(self) -> list[Any]:
        return [self[name] for name in self.NEW_PARTNER_FIELDS]

    def clean_new_partner_wikidata(self) -> str:
        value = (self.cleaned_data.get("new_partner_wikidata") or "").strip()
        if value and not re.match(r"^Q[1-9][0-9]*$", value):
            raise forms.ValidationError(_("A Wikidata item looks like Q123."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        lead = data.get("lead")
        if lead is not None and lead in (data.get("supporters") or []):
            self.add_error("supporters", _("The lead cannot also be a supporter."))
        name = (data.get("new_partner_name") or "").strip()
        others = [data.get(f) for f in self.NEW_PARTNER_FIELDS[1:]]
        if name:
            if not data.get("new_partner_kind"):
                self.add_error("new_partner_kind", _("Say what kind of institution the new partner is."))
            if Partner.objects.filter(name__iexact=name).exists():
                self.add_error(
                    "new_partner_name",
                    _("A partner called “%(name)s” is already in the directory: pick it under Partners.")
                    % {"name": name},
                )
            data["new_partner"] = {
                "name": name,
                "kind": data.get("new_partner_kind"),
                "country": data.get("new_partner_country"),
                "website": data.get("new_partner_website") or "",
                "wikidata": data.get("new_partner_wikidata") or "",
            }
        elif any(others):
            self.add_error("new_partner_name", _("Give the new partner's name, or leave these fields empty."))
        return data


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF or office document, up to 10 MB."),
        validators=[UploadCheck(max_bytes=10 * 1024 * 1024)],
    )
