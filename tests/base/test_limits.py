"""Every text a person can type has a limit before the database, on every path (issue 21)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms

import partnernet
from partnernet.base.fields import TEXT_LIMIT
from partnernet.base.limits import limit_of
from partnernet.partnerships.models import Partnership


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(partnernet.__path__, "partnernet."):
        if not module.name.endswith("forms"):
            continue
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                found.append(cls)
    return found


def test_every_text_field_of_every_form_has_a_maximum_length() -> None:
    unlimited = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unlimited == []


def test_model_forms_take_the_limit_of_text_columns() -> None:
    from partnernet.partnerships.forms import PartnershipForm

    assert PartnershipForm.base_fields["description"].max_length == TEXT_LIMIT  # type: ignore[attr-defined]


def test_person_typed_text_columns_are_limited_and_machine_documents_are_not() -> None:
    from partnernet.federation.models import FeedEvent

    assert limit_of(Partnership._meta.get_field("description")) == TEXT_LIMIT  # type: ignore[arg-type]
    assert limit_of(Partnership._meta.get_field("title")) == 300  # type: ignore[arg-type]
    assert limit_of(FeedEvent._meta.get_field("document")) is None  # type: ignore[arg-type]
