"""Outcomes of partnerships, where fetched figures come from, fetch runs, and rubric-based evaluations.

An ``Outcome`` is one figure (or a free-text result) of one partnership for one period, with its source
(entered, imported, fetched) and the day it was measured, so "data as of" can show wherever it shows.
Outcomes are federated records (origin + UUID) like the partnerships they belong to, and are visible exactly
when their partnership is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.impact.indicators import CHOICES, INDICATORS


class OutcomeSourceKind(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    FETCHED = "fetched", _("Fetched")


class Connector(models.TextChoices):
    COMMONS = "commons", _("Wikimedia Commons category")
    WIKIDATA = "wikidata", _("Wikidata items or property")
    PAGEVIEWS = "pageviews", _("Page views of articles")
    DASHBOARD = "dashboard", _("Programs & Events Dashboard")


class Outcome(GlobalRecord):
    Source = OutcomeSourceKind

    key = models.SlugField(_("key"), max_length=100)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    indicator = models.CharField(_("indicator"), max_length=32, choices=CHOICES)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("result in words"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ENTERED)
    connector = models.CharField(_("connector"), max_length=12, choices=Connector.choices, blank=True)
    measured_on = models.DateField(_("data as of"))
    source_url = models.TextField(_("sources"), blank=True)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-period_end", "indicator"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="outcome_key_per_origin"),
            models.UniqueConstraint(
                fields=["partnership", "indicator", "period_start", "period_end"],
                name="outcome_once_per_indicator_and_period",
            ),
            models.CheckConstraint(
                condition=Q(indicator__in=list(INDICATORS)), name="outcome_indicator_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=OutcomeSourceKind.values), name="outcome_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="outcome_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(indicator="results") & ~Q(text="") & Q(value__isnull=True))
                | (~Q(indicator="results") & Q(value__gte=0)),
                name="outcome_value_or_text",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "period_end"], name="outcome_partnership_period")]

    def __str__(self) -> str:
        return (
            f"{self.partnership} · {INDICATORS[self.indicator].name} {self.period_start} to {self.period_end}"
        )

    @property
    def definition(self) -> object:
        return INDICATORS[self.indicator]


class OutcomeSource(GlobalRecord):
    """Where the fetch connectors read a partnership's figures: a category, items, articles or a campaign.

    ``target`` by connector: commons ``Category:Name``; wikidata ``Q1; Q2`` or one property ``P123``;
    pageviews ``de.wikipedia: Article one; Article two``; dashboard ``campaigns/slug`` or
    ``courses/School/Title``.
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="outcome_sources",
    )
    connector = models.CharField(_("connector"), max_length=12, choices=Connector.choices)
    target = models.TextField(_("what to read"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), null=True, blank=True, help_text=_("Empty: until today."))
    active = models.BooleanField(_("active"), default=True)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("outcome source")
        verbose_name_plural = _("outcome sources")
        ordering = ["partnership_id", "connector", "pk"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(connector__in=Connector.values), name="outcome_source_connector"
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="outcome_source_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_connector_display()}: {self.target}"


class FetchRun(models.Model):
    """One run of ``impact fetch``, in the foreground or as a background task, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fetch_runs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    outcomes_written = models.PositiveIntegerField(_("outcomes written"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fetch run")
        verbose_name_plural = _("fetch runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"fetch {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.steps_total == 0:
            return 100 if self.status in (self.Status.SUCCEEDED, self.Status.FAILED) else 0
        return min(100, round(100 * self.steps_done / self.steps_total))


class Rubric(GlobalRecord):
    """Criteria with weights for evaluating a case study of distributed stewardship."""

    key = models.SlugField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="rubric_key_per_origin"),
            models.CheckConstraint(condition=Q(scale_max__gte=1), name="rubric_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(GlobalRecord):
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what a high score means"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric_id", "position", "key"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["rubric", "key"], name="criterion_key_per_rubric"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(GlobalRecord):
    """A case study of distributed stewardship, scored on a rubric, with a source for every fact."""

    key = models.SlugField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="evaluations"
    )
    steward = models.ForeignKey(
        "directory.Entity", verbose_name=_("steward"), on_delete=models.PROTECT, related_name="evaluations"
    )
    partnerships = models.ManyToManyField(
        "partnerships.Partnership", verbose_name=_("partnerships"), blank=True, related_name="evaluations"
    )
    summary = models.TextField(_("summary"), blank=True)
    evaluator = models.CharField(_("evaluated by"), max_length=200, blank=True)
    evaluated_on = models.DateField(_("evaluated on"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["title"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="evaluation_key_per_origin"),
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationFact(models.Model):
    """A sourced fact the evaluation rests on: a case study states nothing without a source."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="facts")
    text = models.TextField(_("fact"))
    source_url = models.URLField(_("source"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["evaluation_id", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["evaluation_id", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_once_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.criterion}: {self.score}"
