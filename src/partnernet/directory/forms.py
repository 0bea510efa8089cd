"""Forms of the directory: an entity's profile and a partner institution (its filter bar is the web layer's,
which reads regions and stewardships)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.base.pickers import PickerField
from partnernet.directory.models import Entity, Partner

QID = re.compile(r"^Q[1-9][0-9]*$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def _clean_qid(value: str) -> str:
    value = (value or "").strip()
    if value and not QID.match(value):
        raise forms.ValidationError(_("A Wikidata item looks like Q123."))
    return value


def _clean_languages(value: str) -> list[str]:
    tags = [tag.strip() for tag in value.split(",") if tag.strip()]
    bad = [tag for tag in tags if not LANGUAGE.match(tag)]
    if bad:
        raise forms.ValidationError(_("Not a language code: %(codes)s"), params={"codes": ", ".join(bad)})
    return sorted(set(tags))


class EntityProfileForm(forms.ModelForm[Entity]):
    """The profile an entity's admins keep up to date; nothing typed is lost when a field is wrong."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
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
        return _clean_languages(self.cleaned_data.get("languages_text") or "")

    def profile_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = self.cleaned_data["languages_text"]
        return data


class PartnerForm(forms.ModelForm[Partner]):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    country = PickerField("countries", label=_("country"), required=False)

    class Meta:
        model = Partner
        fields = ("name", "kind", "country", "wikidata", "website")

    def clean_wikidata(self) -> str:
        return _clean_qid(self.cleaned_data.get("wikidata", ""))


class SeededProfileForm(forms.Form):
    """The profile an affiliate's admins keep for a seeded entity (its name, kind and regions stay the
    seed's); the values go to ``profiles.edit_profile`` in exchange form."""

    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, such as en, sv, pt-BR."),
    )
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    contact = forms.CharField(
        label=_("public contact"),
        required=False,
        max_length=200,
        help_text=_("An e-mail address or a web page where people can reach the entity."),
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    wikidata = forms.CharField(label=_("Wikidata item"), required=False, max_length=20)
    legal_identity = forms.NullBooleanField(
        label=_("legal identity"),
        required=False,
        widget=forms.NullBooleanSelect(),
        help_text=_("Can it sign agreements in its own name?"),
    )
    jurisdiction = forms.CharField(label=_("jurisdiction"), required=False, max_length=200)
    founded = forms.IntegerField(label=_("founded (year)"), required=False, min_value=1000, max_value=9999)
    staff_fte = forms.DecimalField(
        label=_("staff (FTE)"), required=False, min_value=0, max_digits=7, decimal_places=2
    )
    volunteers = forms.IntegerField(label=_("volunteers"), required=False, min_value=0)

    def __init__(self, *args: Any, entity: Entity, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "languages_text": ", ".join(entity.languages or []),
                "website": entity.website,
                "contact": getattr(entity, "contact", ""),
                "description": entity.description,
                "wikidata": entity.wikidata,
                "legal_identity": entity.legal_identity,
                "jurisdiction": entity.jurisdiction,
                "founded": entity.founded,
                "staff_fte": entity.staff_fte,
                "volunteers": entity.volunteers,
            }
        super().__init__(*args, **kwargs)

    def clean_wikidata(self) -> str:
        return _clean_qid(self.cleaned_data.get("wikidata", ""))

    def clean_languages_text(self) -> list[str]:
        return _clean_languages(self.cleaned_data.get("languages_text") or "")

    def changes(self) -> dict[str, Any]:
        """The values in exchange form (the profiles kind's cleaner checks them once more)."""
        data = self.cleaned_data
        legal = data["legal_identity"]
        return {
            "languages": data["languages_text"],
            "website": data["website"] or "",
            "contact": data["contact"] or "",
            "description": data["description"] or "",
            "wikidata": data["wikidata"] or "",
            "legal_identity": None if legal is None else ("yes" if legal else "no"),
            "jurisdiction": data["jurisdiction"] or "",
            "founded": data["founded"],
            "staff_fte": data["staff_fte"],
            "volunteers": data["volunteers"],
        }


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to its admins"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: who you are and what you would like to do with them."),
    )


class ClaimForm(forms.Form):
    evidence_url = forms.URLField(
        label=_("Evidence (link)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A page on the affiliate's own site or on Meta-Wiki that names you in your role."),
    )
    statement = forms.CharField(
        label=_("Statement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who you are, your role in the affiliate, and how facilitators can check it."),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
