"""Needs, pledges and capacity plans: the support side of a steward node's sustainability.

A ``Need`` is what an entity needs to hold or grow its stewardships; a ``Pledge`` is a commitment to it by
another entity, a partner institution (through a person) or a person. The need's status follows from its
delivered pledges (``partnernet.core.needs``), except ``withdrawn``, which its admins set. A
``CapacityPlan`` holds a steward's goals and milestones; their progress is read from the data, never typed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.core import needs as arithmetic


class NeedKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    FUNDING = "funding", _("Funding")
    TOOLS = "tools", _("Tools")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    LEGAL_FISCAL = "legal_fiscal", _("Legal or fiscal support")
    OTHER = "other", _("Other")


class NeedUnit(models.TextChoices):
    FTE = "fte", _("FTE (full-time equivalent)")
    HOURS = "hours", _("Hours")
    MONEY = "money", _("Money")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


URGENCY_RANK: dict[str, int] = {"critical": 3, "high": 2, "normal": 1, "low": 0}


class NeedVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MOVEMENT = "movement", _("Movement")
    PRIVATE = "private", _("Private")


class NeedStatus(models.TextChoices):
    OPEN = arithmetic.OPEN, _("Open")
    PARTLY_MET = arithmetic.PARTLY_MET, _("Partly met")
    MET = arithmetic.MET, _("Met")
    WITHDRAWN = arithmetic.WITHDRAWN, _("Withdrawn")


class PledgeStatus(models.TextChoices):
    PLEDGED = arithmetic.PLEDGED, _("Pledged")
    DELIVERED = arithmetic.DELIVERED, _("Delivered")
    CANCELLED = arithmetic.CANCELLED, _("Cancelled")


class Need(GlobalRecord):
    """What an entity needs to hold or grow its stewardships."""

    Kind = NeedKind
    Unit = NeedUnit
    Urgency = Urgency
    Visibility = NeedVisibility
    Status = NeedStatus

    key = models.SlugField(_("key"), max_length=100)
    entity = models.ForeignKey(
        "directory.Entity", verbose_name=_("entity"), on_delete=models.PROTECT, related_name="needs"
    )
    kind = models.CharField(_("kind of need"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("what is needed"), max_length=300)
    stewardships = models.ManyToManyField(
        "framework.Stewardship", verbose_name=_("stewardships it serves"), blank=True, related_name="needs"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    why = models.TextField(_("why"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.MOVEMENT
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["key"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="need_key_per_origin"),
            models.CheckConstraint(condition=Q(kind__in=NeedKind.values), name="need_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=NeedStatus.values), name="need_status_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=NeedVisibility.values), name="need_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(urgency__in=Urgency.values), name="need_urgency_valid"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="need_amount_positive"
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) & Q(unit="")) | (Q(amount__isnull=False) & ~Q(unit="")),
                name="need_amount_has_unit",
            ),
            models.CheckConstraint(
                condition=(Q(unit=NeedUnit.MONEY) & ~Q(currency=""))
                | (~Q(unit=NeedUnit.MONEY) & Q(currency="")),
                name="need_currency_with_money",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="need_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility"], name="need_status_visibility")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in (NeedStatus.MET, NeedStatus.WITHDRAWN)


class Pledge(GlobalRecord):
    """A commitment to a need by another entity, a partner institution (through a person) or a person."""

    Status = PledgeStatus

    key = models.SlugField(_("key"), max_length=100)
    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.PROTECT, related_name="pledges")
    entity = models.ForeignKey(
        "directory.Entity",
        verbose_name=_("pledging entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    partner = models.ForeignKey(
        "directory.Partner",
        verbose_name=_("pledging partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    person = models.CharField(_("person"), max_length=200, blank=True)
    what = models.CharField(_("what is pledged"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    due = models.DateField(_("when"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["key"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="pledge_key_per_origin"),
            models.CheckConstraint(condition=Q(status__in=PledgeStatus.values), name="pledge_status_valid"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="pledge_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(entity__isnull=False, partner__isnull=False), name="pledge_one_pledger"
            ),
            models.CheckConstraint(
                condition=Q(entity__isnull=False) | Q(partner__isnull=False) | ~Q(person=""),
                name="pledge_has_pledger",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def pledger_name(self) -> str:
        """Who pledges: the entity, the partner institution (with the person acting for it), or the person."""
        if self.entity_id is not None:
            return self.entity.name  # type: ignore[union-attr]
        if self.partner_id is not None:
            name = self.partner.name  # type: ignore[union-attr]
            return f"{name} ({self.person})" if self.person else name
        return self.person


class GoalMeasure(models.TextChoices):
    CAPACITY = "capacity", _("Capacity of a stewardship (cases at once)")
    NEEDS_MET = "needs_met", _("Needs met (of those tied to the goal)")


class CapacityPlan(GlobalRecord):
    """A steward's plan to hold or grow its stewardships: goals with milestones, progress read from data."""

    entity = models.ForeignKey(
        "directory.Entity", verbose_name=_("steward"), on_delete=models.CASCADE, related_name="capacity_plans"
    )
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("capacity plan")
        verbose_name_plural = _("capacity plans")
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "entity"], name="capacity_plan_once_per_entity"),
        ]

    def __str__(self) -> str:
        return str(self.entity)


class PlanGoal(GlobalRecord):
    """One goal, such as "GLAM capacity for Western Africa from 2 to 6 cases by 2027-06"."""

    Measure = GoalMeasure

    plan = models.ForeignKey(
        CapacityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=300)
    measure = models.CharField(_("measured by"), max_length=10, choices=Measure.choices)
    stewardship = models.ForeignKey(
        "framework.Stewardship",
        verbose_name=_("stewardship"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_goals",
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs it depends on"), blank=True, related_name="goals"
    )
    baseline = models.PositiveIntegerField(_("from"))
    target = models.PositiveIntegerField(_("to"))
    due = models.DateField(_("by"), null=True, blank=True)
    evaluation = models.ForeignKey(
        "impact.Evaluation",
        verbose_name=_("from the evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_goals",
    )
    finding = models.TextField(_("finding it answers"), blank=True)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["due", "pk"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(measure__in=GoalMeasure.values), name="plan_goal_measure_valid"
            ),
            models.CheckConstraint(
                condition=~Q(measure=GoalMeasure.CAPACITY) | Q(stewardship__isnull=False),
                name="plan_goal_capacity_names_stewardship",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A value the goal's figure should reach by a date."""

    goal = models.ForeignKey(
        PlanGoal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("by"), null=True, blank=True)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["goal_id", "due", "value"]

    def __str__(self) -> str:
        return self.title
