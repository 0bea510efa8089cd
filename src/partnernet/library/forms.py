"""The resource form: values in exchange form, checked by the resources kind's cleaner (the same messages as
an import or the API), and one file to attach, checked like agreement uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.base.records import RecordRejected
from partnernet.base.uploads import UploadCheck
from partnernet.library.models import Resource, ResourceKind, TemplateKind

LIST_HELP = _("Keys or codes separated by “;”.")


def _listing(values: list[str]) -> str:
    return "; ".join(values)


class ResourceForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"), max_length=100, help_text=_("A short, stable name: lower-case letters, digits, “-”.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    publisher = forms.ChoiceField(label=_("Publisher"), help_text=_("The steward entity that publishes it."))
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    template_kind = forms.ChoiceField(
        label=_("Template for"), choices=[("", "—"), *TemplateKind.choices], required=False
    )
    toolhub = forms.CharField(label=_("Toolhub name"), max_length=200, required=False,
                              help_text=_("For a tool listed on Toolhub."))  # fmt: skip
    url = forms.CharField(label=_("Link"), max_length=200, required=False,
                          help_text=_("Where the material itself, or its source, lives."))  # fmt: skip
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), required=False,
                           help_text=_("Markdown: headings, lists, links, tables."))  # fmt: skip
    types = forms.CharField(label=_("Partnership types"), required=False, help_text=LIST_HELP)
    themes = forms.CharField(label=_("Themes"), required=False, help_text=LIST_HELP)
    regions = forms.CharField(label=_("Regions"), required=False,
                              help_text=_("M49 or country codes, “;” between; empty: anywhere."))  # fmt: skip
    language = forms.CharField(
        label=_("Language"), max_length=35, help_text=_("A BCP 47 tag: en, sv, pt-BR.")
    )
    licence = forms.CharField(label=_("Licence"), max_length=100, required=False, initial="CC BY-SA 4.0")
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Resource.Visibility.choices, initial="public"
    )
    maintainers = forms.CharField(label=_("Maintainers"), required=False,
                                  help_text=_("Account names separated by “;”."))  # fmt: skip
    translation_of = forms.CharField(label=_("Translation of"), required=False,
                                     help_text=_("Key of the resource it translates."))  # fmt: skip
    evaluations = forms.CharField(label=_("Evaluations"), required=False,
                                  help_text=_("Case studies: evaluation keys, “;” between."))  # fmt: skip
    attachments = forms.CharField(
        label=_("Attachments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Links, one per line; files already attached stay listed here."),
    )
    upload = forms.FileField(label=_("Attach a file"), required=False, validators=[UploadCheck()],
                             help_text=_("PDF, office document or image."))  # fmt: skip

    def __init__(
        self,
        *args: Any,
        publishers: list[tuple[str, str]],
        resource: Resource | None = None,
        row: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        if row is not None and not args and "initial" not in kwargs:
            initial = dict(row)
            for name in ("types", "themes", "regions", "maintainers", "evaluations"):
                initial[name] = _listing(row[name])
            initial["attachments"] = "\n".join(row["attachments"])
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["publisher"].choices = publishers  # type: ignore[attr-defined]
        if resource is not None:
            self.fields["key"].disabled = True
            self.fields["publisher"].disabled = True

    def values(self) -> dict[str, Any]:
        """The cleaned form in exchange form (the kind's cleaner checks codes, keys and names)."""
        data = self.cleaned_data
        values = {name: data.get(name) or "" for name in self.fields if name not in ("upload", "attachments")}
        values["attachments"] = [
            line.strip() for line in (data.get("attachments") or "").splitlines() if line.strip()
        ]
        if self.resource is not None:
            values["key"] = self.resource.key
            values["publisher"] = self.resource.publisher.key
        return values

    def show(self, error: RecordRejected) -> None:
        """Put a refusal of the writer on the fields it names (or on the form)."""
        for name, problems in error.fields.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)
        if not error.fields:
            self.add_error(None, error.message)


class AnswerForm(forms.Form):
    resources = forms.MultipleChoiceField(label=_("Resources"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("A word to go with them"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = choices  # type: ignore[attr-defined]
