"""Forms of the support workflow: they turn input into clean values and put messages next to fields.

``RouteQueryForm`` also validates ``partnernet route`` and the API's ``route``, so the three say the same.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnernet.base import fields as exchange_fields
from partnernet.base.pickers import PickerField
from partnernet.core.routing import RoutingRequest
from partnernet.directory.models import Entity, Partner
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.partnerships.models import Partnership
from partnernet.support.models import Need


def _clean_language(value: str) -> str:
    try:
        return exchange_fields.language(value)
    except exchange_fields.FieldError as error:
        raise ValidationError(str(error)) from None


class _CellFields(forms.Form):
    """Type, theme, region and language chosen from the framework taxonomy by key and code."""

    type = forms.ModelChoiceField(
        label=_("Partnership type"),
        queryset=PartnershipType.objects.filter(active=True),
        to_field_name="key",
        error_messages={"invalid_choice": _("Unknown partnership type '%(value)s'.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.filter(active=True),
        to_field_name="key",
        required=False,
        empty_label=_("Any theme"),
        error_messages={"invalid_choice": _("Unknown theme '%(value)s'.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region or country"),
        queryset=Region.objects.order_by("path"),
        to_field_name="code",
        error_messages={
            "invalid_choice": _("Unknown region code '%(value)s' (UN M49 or ISO 3166-1 alpha-2).")
        },
        help_text=_("Where the partnership happens: a country, or a wider region."),
    )
    language = forms.CharField(
        label=_("Working language"),
        required=False,
        max_length=35,
        help_text=_("The language you would like to work in, as a tag such as en, sv or pt-BR."),
    )

    def clean_language(self) -> str:
        return _clean_language(self.cleaned_data.get("language", ""))


class RouteQueryForm(_CellFields):
    need = forms.ChoiceField(label=_("Need"), choices=Need.choices, required=False)
    requester = forms.CharField(
        label=_("Asking entity"),
        required=False,
        max_length=170,
        help_text=_(
            "An entity key, or KEY@ORIGIN for another instance's entity: it is never its own steward."
        ),
    )

    def __init__(self, data: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if data is not None and data.get("region"):
            code = str(data["region"]).strip()
            data = {**data, "region": code.upper() if code.isalpha() else code}
        super().__init__(data, **kwargs)

    def clean_requester(self) -> str | None:
        """The asking entity's routing reference (``candidates.entity_ref``); an unknown one is an error."""
        from partnernet.base.identity import instance_id
        from partnernet.support.candidates import entity_ref

        value = (self.cleaned_data.get("requester") or "").strip()
        if not value:
            return None
        key, _at, origin = value.partition("@")
        rows = Entity.objects.filter(key=key)
        if origin:
            rows = rows.filter(origin=origin)
        found = sorted(rows.values_list("origin", flat=True), key=lambda o: (o != instance_id(), o != "seed"))
        if not found:
            raise ValidationError(_("Unknown entity '%(value)s'."), params={"value": value})
        return entity_ref(key, found[0], instance_id())

    def routing_request(self) -> RoutingRequest:
        data = self.cleaned_data
        return RoutingRequest(
            type=data["type"].key,
            theme=data["theme"].key if data.get("theme") else None,
            region=data["region"].code,
            need=data.get("need") or None,
            language=data.get("language") or None,
            requester=data.get("requester") or None,
        )


class _PickedCell(forms.Form):
    """The cell picked with the picker (the web forms); the command line and the API type keys and codes
    (``_CellFields``)."""

    type = PickerField("types", label=_("Partnership type"))
    theme = PickerField("themes", label=_("Theme"), required=False, help_text=_("Empty means any theme."))
    region = PickerField(
        "regions",
        label=_("Region or country"),
        help_text=_("Where the partnership happens: a country, or a wider region."),
    )
    language = _CellFields.base_fields["language"]

    def clean_language(self) -> str:
        return _clean_language(self.cleaned_data.get("language", ""))


class RequestForm(_PickedCell):
    """The request form of a logged-in member: for one of their entities (individuals included)."""

    requester = forms.ModelChoiceField(
        label=_("Asking for"),
        queryset=Entity.objects.none(),
        to_field_name="key",
        help_text=_("The entity you act for; an individual volunteer asks as their own entity."),
    )
    need = forms.ChoiceField(label=_("What do you need?"), choices=Need.choices)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        to_field_name="key",
        required=False,
        empty_label=_("None yet"),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("What the partnership is, who the partner is, and what help would make it happen."),
    )
    steward = forms.CharField(widget=forms.HiddenInput, required=False, max_length=170)
    """The stewardship the person chose in the steward finder ("ask this steward"), as routing names it."""
    field_order = ["requester", "need", "type", "theme", "region", "language", "partnership", "description"]

    def __init__(self, *args: Any, entities: Any, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        requester: Any = self.fields["requester"]
        requester.queryset = entities
        only = list(entities[:2])
        if len(only) == 1:
            requester.initial = only[0].key
            requester.empty_label = None
        partnership: Any = self.fields["partnership"]
        partnership.queryset = partnerships


class IndividualRequestForm(_PickedCell):
    """A person without an entity: their individual profile and their first request in one form."""

    name = forms.CharField(
        label=_("Your name in the directory"),
        max_length=200,
        help_text=_("Shown to stewards and in the directory as your individual profile."),
    )
    country = PickerField("countries", label=_("Your country"))
    languages = forms.CharField(
        label=_("Languages you work in"),
        max_length=300,
        help_text=_("Language codes separated by commas, such as en, sv, pt-BR."),
    )
    need = RequestForm.base_fields["need"]
    description = RequestForm.base_fields["description"]
    steward = RequestForm.base_fields["steward"]
    field_order = [
        "name",
        "country",
        "languages",
        "need",
        "type",
        "theme",
        "region",
        "language",
        "description",
    ]

    def clean_languages(self) -> list[str]:
        tags = [tag.strip() for tag in (self.cleaned_data.get("languages") or "").split(",") if tag.strip()]
        if not tags:
            raise ValidationError(_("Give at least one language code, such as en."))
        return sorted({_clean_language(tag) for tag in tags})

    def profile(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "country": data["country"].code, "languages": data["languages"]}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The requester and the next steward will read it."),
    )


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What was done: the agreement co-signed, the tools set up, the letter sent …"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class OfferForm(forms.Form):
    stewardship = forms.CharField(label=_("Stewardship key"), max_length=100)


class HostingForm(forms.Form):
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for an open-ended hosting."),
    )


class EndHostingForm(forms.Form):
    reason = forms.CharField(label=_("Why does it end?"), max_length=2000)


PUBLIC_LIMIT = 5
"""Public proposals accepted per address per hour."""


class PublicProposalForm(_PickedCell):
    """An external institution proposes a partnership: no account, a honeypot and a rate limit."""

    institution = forms.CharField(label=_("Institution"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of institution"), choices=Partner.Kind.choices)
    country = PickerField("countries", label=_("Country"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    wikidata = forms.CharField(
        label=_("Wikidata item (optional)"),
        required=False,
        max_length=20,
        help_text=_("Your institution's item on Wikidata, such as Q190804: it helps the steward find it."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Your e-mail"))
    description = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("What you hold (collections, data, expertise) and what you would like to do together."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and e-mail are shared with the steward organisation that receives this "
            "proposal, and with the movement's facilitators, so that they can write back."
        ),
        error_messages={
            "required": _("Without your agreement the steward cannot write back: tick the box to send.")
        },
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    field_order = [
        "institution",
        "kind",
        "country",
        "website",
        "wikidata",
        "contact_name",
        "contact_email",
        "type",
        "theme",
        "region",
        "language",
        "description",
        "consent",
        "homepage",
    ]

    def __init__(self, *args: Any, client: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_wikidata(self) -> str:
        value = (self.cleaned_data.get("wikidata") or "").strip().upper()
        try:
            return exchange_fields.qid(value)
        except exchange_fields.FieldError:
            raise ValidationError(_("A Wikidata item looks like Q190804.")) from None

    @property
    def is_spam(self) -> bool:
        """A filled honeypot: a bot. The view answers as if it worked and stores nothing."""
        return bool(self.data.get("homepage"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.is_spam and not self.errors:
            bucket = f"support-public:{self.client}"
            count = cache.get(bucket, 0)
            if count >= PUBLIC_LIMIT:
                raise ValidationError(_("Too many proposals from your address; please try again in an hour."))
            cache.set(bucket, count + 1, 3600)
        return cleaned


class LinkPartnerForm(forms.Form):
    """The steward picks one of the partner records that match a proposal's institution."""

    partner = forms.IntegerField(widget=forms.HiddenInput)
