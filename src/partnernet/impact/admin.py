from django.contrib import admin

from partnernet.impact.models import (
    Criterion,
    Evaluation,
    EvaluationFact,
    FetchRun,
    Outcome,
    OutcomeSource,
    Rubric,
    Score,
)


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin[Outcome]):
    list_display = (
        "partnership",
        "indicator",
        "period_start",
        "period_end",
        "value",
        "source",
        "measured_on",
    )
    list_filter = ("indicator", "source", "connector", "is_demo", "origin")
    search_fields = ("key", "partnership__title", "partnership__key")
    autocomplete_fields = ("partnership",)
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("partnership",)


@admin.register(OutcomeSource)
class OutcomeSourceAdmin(admin.ModelAdmin[OutcomeSource]):
    list_display = ("partnership", "connector", "target", "period_start", "period_end", "active")
    list_filter = ("connector", "active")
    autocomplete_fields = ("partnership",)
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")


@admin.register(FetchRun)
class FetchRunAdmin(admin.ModelAdmin[FetchRun]):
    list_display = (
        "pk",
        "partnership",
        "status",
        "steps_done",
        "steps_total",
        "outcomes_written",
        "created_at",
    )
    list_filter = ("status",)
    readonly_fields = ("created_at", "finished_at")


class CriterionInline(admin.TabularInline[Criterion, Rubric]):
    model = Criterion
    fields = ("position", "key", "name", "weight", "description")
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin[Rubric]):
    list_display = ("name", "key", "scale_max")
    inlines = [CriterionInline]
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")


class FactInline(admin.TabularInline[EvaluationFact, Evaluation]):
    model = EvaluationFact
    fields = ("position", "text", "source_url")
    extra = 1


class ScoreInline(admin.TabularInline[Score, Evaluation]):
    model = Score
    fields = ("criterion", "score", "rationale")
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin[Evaluation]):
    list_display = ("title", "steward", "rubric", "evaluated_on", "is_demo")
    list_filter = ("is_demo", "rubric")
    search_fields = ("title", "key", "steward__name")
    autocomplete_fields = ("steward", "partnerships")
    inlines = [FactInline, ScoreInline]
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
