"""Impact pages: the collective-impact report, its exports, a partnership's outcomes, fetch progress,
the indicator dictionary, evaluations side by side and the rubric. Views check permissions with the rules
predicates, read through selectors and write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnernet.base.pagination import page_of
from partnernet.directory.rules import is_facilitator
from partnernet.framework.models import PartnershipType, Theme
from partnernet.impact import charts, exports, selectors, services
from partnernet.impact.forms import (
    OutcomeForm,
    OutcomeSourceForm,
    ReportFilterForm,
    RubricWeightsForm,
    ScoresForm,
)
from partnernet.impact.indicators import INDICATORS
from partnernet.impact.models import Evaluation, FetchRun, OutcomeSource, Rubric
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships


def _filters(form: ReportFilterForm) -> selectors.ReportFilters:
    return selectors.ReportFilters(**form.filters()) if form.is_bound else selectors.ReportFilters()


def _report_context(request: HttpRequest) -> dict[str, Any]:
    form = ReportFilterForm(request.GET or None)
    filters = _filters(form)
    report = selectors.impact_report(request.user, filters)
    return {
        "form": form,
        "report": report,
        "filters": filters,
        "query": request.GET.urlencode(),
        "types": PartnershipType.objects.filter(active=True),
        "themes": Theme.objects.filter(active=True),
        "generated": timezone.now(),
        "year_charts": charts.year_charts(report),
        "type_charts": charts.type_charts(report),
    }


def report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    context["partnership_page"] = page_of(request, context["report"].partnership_rows)
    return render(request, "impact/report.html", context)


def report_print(request: HttpRequest) -> HttpResponse:
    return render(request, "impact/report_print.html", _report_context(request))


def report_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.report_pdf(_report_context(request), request), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="partnernet-impact.pdf"'
    return response


def export_csv(request: HttpRequest) -> HttpResponse:
    outcomes = selectors.filtered_outcomes(request.user, _filters(ReportFilterForm(request.GET or None)))
    response = HttpResponse(exports.outcomes_csv(outcomes), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnernet-outcomes.csv"'
    return response


def indicators(request: HttpRequest) -> HttpResponse:
    return render(request, "impact/indicators.html", {"indicators": INDICATORS.values()})


def _partnership(request: HttpRequest, key: str) -> Partnership:
    partnership = visible_partnerships(request.user).filter(key=key).order_by("origin").first()
    if partnership is None:
        raise Http404(_("No such partnership."))
    return partnership


@require_http_methods(["GET", "POST"])
def partnership(request: HttpRequest, key: str) -> HttpResponse:
    item = _partnership(request, key)
    can_record = request.user.has_perm("impact.record_outcomes", item)
    outcome_form = OutcomeForm(initial={"measured_on": timezone.localdate()})
    source_form = OutcomeSourceForm()
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if request.POST.get("form") == "source":
            source_form = OutcomeSourceForm(request.POST)
            if source_form.is_valid():
                services.add_outcome_source(request.user, item, **source_form.cleaned_data)
                messages.success(request, _("Source added: the next fetch reads it."))
                return redirect("impact:partnership", key=item.key)
        else:
            outcome_form = OutcomeForm(request.POST)
            if outcome_form.is_valid():
                services.record_outcome(request.user, item, **outcome_form.cleaned_data)
                messages.success(request, _("Outcome recorded."))
                return redirect("impact:partnership", key=item.key)
    return render(
        request,
        "impact/partnership.html",
        {
            "partnership": item,
            "outcomes": selectors.partnership_outcomes(request.user, item),
            "sources": OutcomeSource.objects.filter(partnership=item, active=True),
            "can_record": can_record,
            "outcome_form": outcome_form,
            "source_form": source_form,
        },
    )


@require_POST
def fetch(request: HttpRequest) -> HttpResponse:
    """Queue a fetch (of one partnership, or of all for facilitators) and show its progress."""
    key = request.POST.get("partnership", "")
    item = _partnership(request, key) if key else None
    allowed = (
        request.user.has_perm("impact.fetch_outcomes", item)
        if item is not None
        else request.user.has_perm("impact.fetch_all_outcomes")
    )
    if not allowed:
        raise PermissionDenied
    run = services.request_fetch(request.user, item)
    return redirect("impact:run", pk=run.pk)


def run(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FetchRun.objects.select_related("partnership"), pk=pk)
    if item.partnership is not None:
        _partnership(request, item.partnership.key)
    elif not is_facilitator(request.user):
        raise PermissionDenied
    template = "impact/_run.html" if request.headers.get("HX-Request") else "impact/run.html"
    return render(request, template, {"run": item})


def evaluations(request: HttpRequest) -> HttpResponse:
    keys = [key for key in request.GET.getlist("case") if key]
    rows, criteria = selectors.evaluations_side_by_side(keys or None)
    table = [
        {
            "criterion": criterion,
            "scores": [
                next((s for s in evaluation.scores.all() if s.criterion_id == criterion.pk), None)
                for evaluation in rows
            ],
        }
        for criterion in criteria
    ]
    return render(
        request,
        "impact/evaluations.html",
        {
            "evaluations": rows,
            "table": table,
            "overall": [selectors.overall_score(evaluation) for evaluation in rows],
            "rubrics": Rubric.objects.all(),
            "can_edit": request.user.has_perm("impact.change_rubric"),
        },
    )


@require_http_methods(["GET", "POST"])
def rubric(request: HttpRequest, key: str) -> HttpResponse:
    item = get_object_or_404(Rubric, key=key)
    if not request.user.has_perm("impact.change_rubric"):
        raise PermissionDenied
    criteria = list(item.criteria.all())
    form = RubricWeightsForm(criteria, request.POST or None)
    if request.method == "POST" and form.is_valid():
        for criterion, weight in form.weights().items():
            services.set_criterion_weight(request.user, criterion, weight)
        messages.success(request, _("Weights saved: every evaluation's overall score uses them now."))
        return redirect("impact:evaluations")
    return render(request, "impact/rubric.html", {"rubric": item, "form": form})


@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, key: str) -> HttpResponse:
    item = get_object_or_404(Evaluation.objects.select_related("rubric"), key=key)
    if not request.user.has_perm("impact.change_evaluation"):
        raise PermissionDenied
    form = ScoresForm(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.score_evaluation(request.user, item, form.scores())
        messages.success(request, _("Scores saved."))
        return redirect("impact:evaluations")
    return render(request, "impact/score.html", {"evaluation": item, "form": form})
