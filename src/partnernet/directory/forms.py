"""Forms of the directory: an entity's profile and a partner institution (its filter bar is the web layer's,
which reads regions and stewardships)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.base.limits import limited_formfield
from partnernet.base.pickers import PickerField
from partnernet.directory.models import Entity, Partner

QID = re.compile(r"^Q[1-9][0-9]*$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def _clean_qid(value: str) -> str:
    value = (value or "").strip()
    if value and not QID.match(value):
        raise forms.ValidationError(_("A Wikidata item looks like Q123."))
    return value


class EntityProfileForm(forms.ModelForm[Entity]):
    """The profile an entity's admins keep up to date; nothing typed is lost when a field is wrong."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)

    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=1000,
        help_text=_("Language codes separated by commas, such as en, sv, pt-BR."),
    )

    class Meta:
        model = Entity
        fields = (
            "name", "description", "website", "wikidata", "legal_identity", "jurisdiction", "budget_band",
            "founded", "staff_fte", "volunteers",
        )  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "legal_identity": forms.NullBooleanSelect(),
        }
        formfield_callback = limited_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages_text"] = ", ".join(self.instance.languages or [])

    def clean_wikidata(self) -> str:
        return _clean_qid(self.cleaned_data.get("wikidata", ""))

    def clean_founded(self) -> int | None:
        year = self.cleaned_data.get("founded")
        if year is not None and not 1000 <= year <= 9999:
            raise forms.ValidationError(_("Give a year with four digits."))
        return year

    def clean_languages_text(self) -> list[str]:
        tags = [
            tag.strip() for tag in (self.cleaned_data.get("languages_text") or "").split(",") if tag.strip()
        ]
        bad = [tag for tag in tags if not LANGUAGE.match(tag)]
        if bad:
            raise forms.ValidationError(_("Not a language code: %(codes)s"), params={"codes": ", ".join(bad)})
        return sorted(set(tags))

    def profile_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = self.cleaned_data["languages_text"]
        return data


class PartnerForm(forms.ModelForm[Partner]):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)
    country = PickerField("countries", label=_("country"), required=False)

    class Meta:
        model = Partner
        fields = ("name", "kind", "country", "wikidata", "website")

    def clean_wikidata(self) -> str:
        return _clean_qid(self.cleaned_data.get("wikidata", ""))
