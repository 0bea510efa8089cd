"""Forms of needs and pledges. Values are checked by the kinds' cleaners (the same messages as an import and
the API); the forms only offer the choices a person may make."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.base.pickers import PickerField, bind_pickers
from partnernet.directory.models import Entity
from partnernet.framework.models import Stewardship
from partnernet.impact.models import Evaluation
from partnernet.sustainability.models import GoalMeasure, Need, PlanGoal
from partnernet.sustainability.selectors import NeedFilters


class NeedForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Entity in need"))
    kind = forms.ChoiceField(label=_("Kind of need"), choices=Need.Kind.choices)
    title = forms.CharField(label=_("What is needed"), max_length=300)
    stewardships = forms.ModelMultipleChoiceField(
        queryset=Stewardship.objects.none(),
        label=_("Stewardships it serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount = forms.CharField(
        label=_("Amount"), required=False, help_text=_("A number above 0, in the unit below; empty if none.")
    )
    unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=[("", _("No amount")), *Need.Unit.choices]
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=10,
        help_text=_("For money: an ISO 4217 code such as EUR."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    why = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Need.Urgency.choices, initial="normal")
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Need.Visibility.choices,
        initial="movement",
        help_text=_("Movement: people of movement entities and peers trusted with movement rows. Private: "
                    "your entity's members only; it never leaves this instance."),
    )  # fmt: skip

    def __init__(self, *args: Any, entities: Any, need: Need | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities  # type: ignore[attr-defined]
        if need is not None:
            del self.fields["entity"]
            owners = [need.entity_id]
        else:
            owners = list(entities.values_list("pk", flat=True))
            if len(owners) == 1:
                self.fields["entity"].initial = owners[0]
        self.fields["stewardships"].queryset = (  # type: ignore[attr-defined]
            Stewardship.objects.filter(entity_id__in=owners).select_related("entity", "type").order_by("key")
        )


class PledgeForm(forms.Form):
    entity = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        label=_("Pledge for an entity"),
        required=False,
        empty_label=_("(not for an entity)"),
    )
    partner = PickerField(
        "partners",
        label=_("…or for a partner institution"),
        required=False,
        help_text=_("Such as a funder you act for; give your name below."),
    )
    person = forms.CharField(
        label=_("Person"),
        max_length=200,
        required=False,
        help_text=_("Your name, when you pledge as a person or for a partner institution."),
    )
    what = forms.CharField(label=_("What you pledge"), max_length=300)
    amount = forms.CharField(
        label=_("How much"), required=False, help_text=_("In the need's unit or currency.")
    )
    when = forms.DateField(label=_("When"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, entities: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities  # type: ignore[attr-defined]
        bind_pickers(self, user)


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("unmet", _("Not met yet")), *Need.Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Need.Kind.choices]
    )
    entity = forms.SlugField(label=_("Entity"), required=False)

    def filters(self) -> NeedFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return NeedFilters(
            status=data.get("status") or "", kind=data.get("kind") or "", entity=data.get("entity") or ""
        )


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=300,
        help_text=_("Such as: GLAM capacity for Western Africa from 2 to 6 cases by 2027-06."),
    )
    measure = forms.ChoiceField(label=_("Measured by"), choices=GoalMeasure.choices)
    stewardship = forms.ModelChoiceField(
        queryset=Stewardship.objects.none(), label=_("Stewardship"), required=False
    )
    needs = forms.ModelMultipleChoiceField(
        queryset=Need.objects.none(),
        label=_("Needs it depends on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    baseline = forms.IntegerField(label=_("From"), min_value=0)
    target = forms.IntegerField(label=_("To"), min_value=0)
    due = forms.DateField(label=_("By"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    evaluation = forms.ModelChoiceField(
        queryset=Evaluation.objects.none(), required=False, widget=forms.HiddenInput
    )
    finding = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, entity: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stewardship"].queryset = Stewardship.objects.filter(entity=entity).order_by("key")  # type: ignore[attr-defined]
        self.fields["needs"].queryset = Need.objects.filter(entity=entity).order_by("key")  # type: ignore[attr-defined]
        self.fields["evaluation"].queryset = Evaluation.objects.filter(steward=entity)  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    goal = forms.ModelChoiceField(queryset=PlanGoal.objects.none(), label=_("Goal"))
    title = forms.CharField(label=_("Milestone"), max_length=200)
    value = forms.IntegerField(label=_("Value to reach"), min_value=0)
    due = forms.DateField(label=_("By"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, entity: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = PlanGoal.objects.filter(plan__entity=entity)  # type: ignore[attr-defined]
