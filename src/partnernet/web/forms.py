"""Forms of the pages composed in the web layer: the directory's filters and the steward finder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.base.pickers import PickerField
from partnernet.directory.models import Entity
from partnernet.support.models import Need


class DirectoryFilterForm(forms.Form):
    """The directory's filters. "Based in" is where an entity is (its country or regions); "serves" is where
    it holds an active stewardship — a place its stewardships cover, or part of it. An unknown place or type
    is an error next to its field, never an empty list."""

    q = forms.CharField(label=_("Search names"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Entity.Kind.choices]
    )
    region = PickerField("regions", label=_("Based in"), required=False)
    serves = PickerField("regions", label=_("Serves"), required=False)
    type = PickerField("types", label=_("Stewards partnerships of type"), required=False)
    language = forms.CharField(label=_("Language"), required=False, max_length=35)

    def filters(self) -> dict[str, Any]:
        """The valid filters as keys and codes, for ``framework.selectors.entities_matching``."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "kind": data.get("kind"),
            "region": data["region"].code if data.get("region") else None,
            "serves": data["serves"].code if data.get("serves") else None,
            "stewarded_type": data["type"].key if data.get("type") else None,
            "language": data.get("language"),
            "search": data.get("q"),
        }


class FindStewardForm(forms.Form):
    """Place, partnership type and (optionally) theme and need: the steward finder's question, also asked by
    the home page's box."""

    place = PickerField("regions", label=_("Where"), help_text=_("A country, or a wider region."))
    type = PickerField("types", label=_("Kind of partnership"))
    theme = PickerField("themes", label=_("Theme"), required=False, help_text=_("Optional."))
    need = forms.ChoiceField(
        label=_("What is needed"), required=False, choices=[("", _("Any need")), *Need.choices]
    )
