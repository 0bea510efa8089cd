"""Writes of the impact app: outcomes, fetches, rubric weights and evaluation scores, each audited."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from partnernet.audit.services import diff, record, snapshot
from partnernet.base.records import RecordWriter
from partnernet.impact.models import Criterion, Evaluation, FetchRun, Outcome, OutcomeSource, Score
from partnernet.partnerships.models import Partnership

Progress = Callable[[int, int, str], None]
"""``(steps done, steps total, what is being read)``; the CLI draws a bar, the task updates its run."""


class OutcomeWriter(RecordWriter):
    """Outcomes as records: peers' copies arrive through it (outcomes are not a FORMATS.md import kind;
    people record them with ``record_outcome`` and import them with ``impact.imports``)."""

    kind_name = "outcomes"
    noun = "outcome"


OUTCOMES = OutcomeWriter()

OUTCOME_FIELDS = ("value", "text", "source", "connector", "measured_on", "source_url", "note")


def _new_key(indicator: str) -> str:
    return f"{indicator.replace('_', '-')}-{uuid.uuid4().hex[:12]}"


@transaction.atomic
def record_outcome(
    actor: Any,
    partnership: Partnership,
    *,
    indicator: str,
    period_start: dt.date,
    period_end: dt.date,
    value: Decimal | None = None,
    text: str = "",
    measured_on: dt.date | None = None,
    source: str = Outcome.Source.ENTERED,
    connector: str = "",
    source_url: str = "",
    note: str = "",
) -> Outcome:
    """Store the figure of one indicator for one period of ``partnership``, replacing the previous one.

    The database allows one figure per (partnership, indicator, period), so entering a figure twice updates
    it instead of double counting it.
    """
    values = {
        "value": value,
        "text": text,
        "source": source,
        "connector": connector,
        "measured_on": measured_on or timezone.localdate(),
        "source_url": source_url,
        "note": note,
    }
    outcome = (
        Outcome.objects.select_for_update()
        .filter(
            partnership=partnership, indicator=indicator, period_start=period_start, period_end=period_end
        )
        .first()
    )
    if outcome is None:
        outcome = Outcome(
            partnership=partnership,
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
            key=_new_key(indicator),
            **values,
        )
        outcome.full_clean(validate_unique=False)
        outcome.save()
        record(actor, "create", "record_outcome", outcome, {name: [None, v] for name, v in values.items()})
        return outcome
    before = snapshot(outcome, OUTCOME_FIELDS)
    for name, value_ in values.items():
        setattr(outcome, name, value_)
    changes = diff(before, snapshot(outcome, OUTCOME_FIELDS))
    if changes:
        outcome.full_clean(validate_unique=False)
        outcome.save()
        record(actor, "update", "record_outcome", outcome, changes)
    return outcome


@transaction.atomic
def delete_outcome(actor: Any, outcome: Outcome) -> None:
    record(actor, "delete", "delete_outcome", outcome)
    outcome.delete()


@transaction.atomic
def add_outcome_source(
    actor: Any,
    partnership: Partnership,
    *,
    connector: str,
    target: str,
    period_start: dt.date,
    period_end: dt.date | None = None,
) -> OutcomeSource:
    source = OutcomeSource(
        partnership=partnership,
        connector=connector,
        target=target.strip(),
        period_start=period_start,
        period_end=period_end,
    )
    source.full_clean(validate_unique=False)
    source.save()
    record(actor, "create", "add_outcome_source", source, {"target": [None, source.target]})
    return source


def sources_to_fetch(partnership: Partnership | None = None) -> list[OutcomeSource]:
    rows = OutcomeSource.objects.filter(active=True).select_related("partnership")
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    return list(rows.order_by("partnership__key", "connector", "pk"))


@transaction.atomic
def request_fetch(actor: Any, partnership: Partnership | None = None) -> FetchRun:
    """Queue a fetch for the background worker and return its run, whose progress pages can show."""
    from partnernet.impact.tasks import fetch_outcomes_task

    run = FetchRun.objects.create(
        partnership=partnership,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        steps_total=len(sources_to_fetch(partnership)),
    )
    record(actor, "other", "request_fetch", run)
    run_id = run.pk
    transaction.on_commit(lambda: fetch_outcomes_task.enqueue(run_id))
    return run


def _store(actor: Any, source: OutcomeSource, measurements: list[Any], today: dt.date) -> tuple[int, int]:
    """Write fetched figures; a figure people entered or imported for the same cell is kept, not replaced."""
    written = kept = 0
    for measurement in measurements:
        existing = Outcome.objects.filter(
            partnership=source.partnership,
            indicator=measurement.indicator,
            period_start=measurement.period_start,
            period_end=measurement.period_end,
        ).first()
        if existing is not None and existing.source != Outcome.Source.FETCHED:
            kept += 1
            continue
        record_outcome(
            actor,
            source.partnership,
            indicator=measurement.indicator,
            period_start=measurement.period_start,
            period_end=measurement.period_end,
            value=measurement.value,
            measured_on=today,
            source=Outcome.Source.FETCHED,
            connector=source.connector,
            source_url=measurement.source_url,
            note=measurement.note,
        )
        written += 1
    return written, kept


def run_fetch(run: FetchRun, actor: Any = None, progress: Progress | None = None) -> FetchRun:
    """Read every active source in the run's scope and store the figures; update the run as it goes.

    A source the service rejects (bad target, HTTP error) is reported and skipped; an unreachable network
    stops the run, marks it failed and raises ``NetworkUnreachable`` so the caller can say so.

    The connectors (``httpx`` and what it brings, about 0.07 s) load here, on the first fetch, rather than
    with the apps, which import this module at every start of every process.
    """
    from partnernet.impact.connectors.http import ConnectorError, NetworkUnreachable, make_client
    from partnernet.impact.connectors.registry import CONNECTORS

    sources = sources_to_fetch(run.partnership)
    today = timezone.localdate()
    run.status = FetchRun.Status.RUNNING
    run.steps_total = len(sources)
    run.steps_done = 0
    run.save(update_fields=["status", "steps_total", "steps_done"])
    problems: list[str] = []
    written = kept = 0
    try:
        with make_client() as client:
            for index, source in enumerate(sources):
                label = f"{source.partnership.key}: {source}"
                if progress:
                    progress(index, len(sources), label)
                end = source.period_end or today
                try:
                    measurements = CONNECTORS[source.connector](
                        client, source.target, source.period_start, end
                    )
                except NetworkUnreachable:
                    raise
                except ConnectorError as exc:
                    problems.append(f"{label}: {exc}")
                else:
                    w, k = _store(actor, source, measurements, today)
                    written, kept = written + w, kept + k
                run.steps_done = index + 1
                run.outcomes_written = written
                run.save(update_fields=["steps_done", "outcomes_written"])
    except NetworkUnreachable as exc:
        run.status = FetchRun.Status.FAILED
        run.message = f"The network is not reachable: {exc}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    if progress:
        progress(len(sources), len(sources), "")
    summary = f"{len(sources)} sources read, {written} figures written, {kept} entered figures kept."
    run.status = FetchRun.Status.FAILED if problems and not written else FetchRun.Status.SUCCEEDED
    run.message = "\n".join([summary, *problems])
    run.outcomes_written = written
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "outcomes_written", "finished_at"])
    return run


@transaction.atomic
def set_criterion_weight(actor: Any, criterion: Criterion, weight: Decimal) -> Criterion:
    """Facilitators tune the rubric; every evaluation's overall score follows at once (it is computed)."""
    before = snapshot(criterion, ("weight",))
    criterion.weight = weight
    criterion.full_clean(validate_unique=False)
    criterion.save(update_fields=["weight", "updated_at"])
    changes = diff(before, snapshot(criterion, ("weight",)))
    if changes:
        record(actor, "update", "set_criterion_weight", criterion, changes)
    return criterion


@transaction.atomic
def score_evaluation(actor: Any, evaluation: Evaluation, scores: dict[int, tuple[int | None, str]]) -> None:
    """Set the score and rationale of each criterion (by id) of the evaluation's rubric."""
    criteria = {c.pk: c for c in evaluation.rubric.criteria.all()}
    changes: dict[str, list[Any]] = {}
    for criterion_id, (value, rationale) in scores.items():
        criterion = criteria[criterion_id]
        if value is not None and not 0 <= value <= evaluation.rubric.scale_max:
            raise ValueError(f"score for {criterion.key} must be between 0 and {evaluation.rubric.scale_max}")
        score, _ = Score.objects.get_or_create(evaluation=evaluation, criterion=criterion)
        if (score.score, score.rationale) != (value, rationale):
            changes[criterion.key] = [score.score, value]
            score.score, score.rationale = value, rationale
            score.save()
    if changes:
        record(actor, "update", "score_evaluation", evaluation, changes)
