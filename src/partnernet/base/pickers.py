"""One picker for everything a form picks among many: entities, partners, regions, types, themes.

A *source* says what may be picked, how it is named and how it is searched; sources are registered with
:func:`register_source` (``web/picker_sources.py`` holds the entities, partners, regions and taxonomy), so
this module imports no app and a new page adds a source of its own the same way. A form uses
:class:`PickerField` (one value, or several with ``multiple=True``). Its widget renders a plain text field
that works without JavaScript: a person types a name, a key or a code (several separated by ";"), and the
field resolves it on the server. ``picker.js`` turns it into an ARIA combobox that searches the source at
``/pick/<source>/`` (htmx) as the person types, and submits the key of the option they pick.

A value that names nothing, or more than one thing, is a field error next to the field; nothing is saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SEPARATOR = ";"
LIMIT = 20


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class PickerSource:
    """What a picker offers.

    ``rows(user)`` is every row the person may pick (``PermissionDenied`` when they may pick none);
    ``key_field`` names the field submitted (``key`` or ``code``); ``label`` and ``hint`` name a row in the
    active language. ``search_fields`` are matched in the database (``icontains``); without them every row is
    matched in Python against its label, its stored name and its key (small sets named per language: regions,
    types, themes).
    """

    name: str
    rows: Callable[[Any], QuerySet[Any]]
    label: Callable[[Any], str]
    key_field: str = "key"
    hint: Callable[[Any], str] = field(default=lambda row: "")
    search_fields: tuple[str, ...] = ()
    noun: str = ""
    upper_keys: bool = False

    def key_of(self, row: Any) -> str:
        return str(getattr(row, self.key_field))

    def option(self, row: Any) -> Option:
        return Option(self.key_of(row), self.label(row), self.hint(row))

    def normalise(self, text: str) -> str:
        text = text.strip()
        return text.upper() if self.upper_keys and text.isalpha() and len(text) <= 3 else text

    def search(self, user: Any, query: str, limit: int = LIMIT) -> list[Option]:
        """Options whose name, label or key matches ``query``: beginnings first, then the rest."""
        rows = self.rows(user)
        query = query.strip()
        if self.search_fields:
            if query:
                match = Q(**{f"{self.key_field}__iexact": self.normalise(query)})
                for name in self.search_fields:
                    match |= Q(**{f"{name}__icontains": query})
                rows = rows.filter(match)
            found = list(rows[: limit * 3])
        else:
            found = list(rows)
        needle = query.casefold()
        scored = []
        for row in found:
            option = self.option(row)
            names = [option.label.casefold(), str(getattr(row, "name", "")).casefold()]
            if needle and not any(needle in name for name in names) and needle != option.key.casefold():
                continue
            exact = needle == option.key.casefold() or needle in names
            start = any(name.startswith(needle) for name in names)
            scored.append((not exact, not start, option.label.casefold(), option))
        scored.sort(key=lambda item: item[:3])
        return [item[3] for item in scored[:limit]]

    def resolve(self, user: Any, text: str) -> Any:
        """The one row ``text`` names (its key or code, or its whole name); ``ValidationError`` otherwise."""
        rows = self.rows(user)
        wanted = self.normalise(text)
        row = rows.filter(**{self.key_field: wanted}).first()
        if row is not None:
            return row
        needle = text.strip().casefold()
        if self.search_fields:
            candidates = list(rows.filter(**{f"{self.search_fields[0]}__iexact": text.strip()})[:5])
        else:
            candidates = [
                r
                for r in rows
                if needle in (self.label(r).casefold(), str(getattr(r, "name", "")).casefold())
            ]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            names = ", ".join(f"{self.label(r)} ({self.key_of(r)})" for r in candidates[:5])
            raise ValidationError(
                _("“%(value)s” names several: %(names)s. Pick one from the list."),
                code="ambiguous",
                params={"value": text.strip(), "names": names},
            )
        raise ValidationError(
            _("Nothing called “%(value)s” can be picked here. Type a few letters and pick from the list."),
            code="unknown",
            params={"value": text.strip()},
        )

    def describe(self, user: Any, values: Iterable[Any]) -> list[Option]:
        """Options for values already chosen: rows, primary keys or keys (unknown text is kept as typed)."""
        found = []
        for value in values:
            if value in (None, ""):
                continue
            if isinstance(value, Model):
                found.append(self.option(value))
                continue
            row = self.rows_for_display().filter(**{self.key_field: self.normalise(str(value))}).first()
            if row is None and isinstance(value, int):
                row = self.rows_for_display().filter(pk=value).first()
            found.append(self.option(row) if row is not None else Option("", str(value)))
        return found

    def rows_for_display(self) -> QuerySet[Any]:
        """Every row, whoever asks: a chosen value is shown by its name even if the person cannot pick it."""
        model: type[Model] = self.rows(None).model
        return model._default_manager.all()


_SOURCES: dict[str, PickerSource] = {}


def register_source(source: PickerSource) -> None:
    _SOURCES[source.name] = source


def source(name: str) -> PickerSource:
    """A registered source; ``KeyError`` for an unknown name."""
    return _SOURCES[name]


class Picker(forms.Widget):
    """A text field that ``partnernet.js`` turns into an accessible autocomplete (ARIA combobox)."""

    template_name = "partnernet/widgets/picker.html"

    def __init__(self, source_name: str = "", multiple: bool = False, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.source_name = source_name
        self.multiple = multiple
        self.user: Any = None

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        chosen = source(self.source_name).describe(self.user, values)
        text = f"{SEPARATOR} ".join(option.label for option in chosen)
        widget = context["widget"]
        widget["value"] = text
        widget["attrs"].setdefault("autocomplete", "off")
        widget["source_url"] = reverse("pick", args=[self.source_name])
        widget["multiple"] = self.multiple
        widget["chosen"] = json.dumps([{"key": o.key, "label": o.label} for o in chosen if o.key])
        widget["key"] = chosen[0].key if chosen and not self.multiple else ""
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            items = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            items = items if isinstance(items, list) else [items]
            return [part.strip() for item in items for part in str(item).split(SEPARATOR) if part.strip()]
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class PickerField(forms.Field):
    """A form field that picks one row (or, with ``multiple``, several) of a registered source by key, code
    or whole name. ``user`` decides what may be picked (set it in the form's ``__init__``)."""

    widget: Any = Picker

    def __init__(self, source_name: str, *, multiple: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", Picker(source_name, multiple))
        super().__init__(**kwargs)
        self.source_name = source_name
        self.multiple = multiple
        self.user: Any = None

    def set_user(self, user: Any) -> None:
        self.user = user
        self.widget.user = user

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> Any:
        picker = source(self.source_name)
        if self.multiple:
            texts = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
            rows, errors, seen = [], [], set()
            for text in texts:
                if isinstance(text, Model):
                    row = text
                else:
                    try:
                        row = picker.resolve(self.user, str(text))
                    except ValidationError as error:
                        errors.append(error)
                        continue
                    except PermissionDenied:
                        raise ValidationError(_("You may not pick here."), code="denied") from None
                if row.pk not in seen:
                    seen.add(row.pk)
                    rows.append(row)
            if errors:
                raise ValidationError(errors)
            return rows
        if value in (None, ""):
            return None
        if isinstance(value, Model):
            return value
        try:
            return picker.resolve(self.user, str(value))
        except PermissionDenied:
            raise ValidationError(_("You may not pick here."), code="denied") from None

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


def bind_pickers(form: forms.BaseForm, user: Any) -> None:
    """Tell every picker of ``form`` who is picking (what they may pick, and the names they see)."""
    for bound in form.fields.values():
        if isinstance(bound, PickerField):
            bound.set_user(user)
