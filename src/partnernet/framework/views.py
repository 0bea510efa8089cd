"""Pages of the agreement process: follow, propose, endorse and discuss; rules; the versioned history.

Views parse, check permission through the rules predicates, call a service and render. Service errors come
back next to their fields; nothing is written when there is one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnernet.audit.selectors import history_of
from partnernet.base.pagination import page_of
from partnernet.core.framework_versions import diff_snapshots
from partnernet.directory.models import Entity, Membership
from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.framework.forms import (
    CommentForm,
    CompareForm,
    EndorseForm,
    ProposalForm,
    QuorumRuleForm,
    TermLabelsForm,
)
from partnernet.framework.models import (
    EndorsementChange,
    FrameworkVersion,
    PartnershipType,
    Proposal,
    ProposalKind,
    QuorumRule,
    RegionGrouping,
    Theme,
)
from partnernet.framework.panels import proposal_panels
from partnernet.framework.proposals import (
    framework_audit_events,
    open_proposals_affecting,
    proposals_listing,
)
from partnernet.framework.services import (
    comment_on,
    endorse,
    evaluate_proposal,
    open_proposal,
    set_term_labels,
    update_quorum_rule,
)


def _admin_entities(user: Any) -> Any:
    return Entity.objects.filter(pk__in=entity_ids_of(user, Membership.Role.ADMIN)).order_by("name")


def proposal_list(request: HttpRequest) -> HttpResponse:
    only_open = request.GET.get("status") == "open"
    mine = open_proposals_affecting(entity_ids_of(request.user)) if request.user.is_authenticated else None
    return render(
        request,
        "framework/proposal_list.html",
        {
            "proposals": page_of(
                request, proposals_listing(only_open=only_open).order_by("-opens_at", "-pk")
            ),
            "only_open": only_open,
            "mine": mine,
            "kinds": ProposalKind.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    entities = _admin_entities(request.user)
    if kind not in ProposalKind.values:
        return render(
            request, "framework/proposal_kind.html", {"kinds": ProposalKind.choices, "entities": entities}
        )
    prefill = {
        name: request.GET[name]
        for name in ("type", "theme", "region", "level", "capacity")
        if name in request.GET
    }
    form = ProposalForm(request.POST or None, kind=kind, entities=entities, initial=prefill)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = open_proposal(
                request.user,
                proposer=form.cleaned_data["proposer"],
                kind=kind,
                title=form.cleaned_data["title"],
                rationale=form.cleaned_data["rationale"],
                data=form.data_for_service(),
            )
        except PermissionDenied as denied:
            form.add_error("proposer", str(denied))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The proposal is open for endorsement."))
            return redirect("framework:proposal", key=proposal.key)
    return render(
        request,
        "framework/proposal_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": ProposalKind(kind).label,
            "entities": entities,
            "types": PartnershipType.objects.filter(active=True),
            "themes": Theme.objects.filter(active=True),
            "groupings": RegionGrouping.objects.filter(active=True),
            "rule": QuorumRule.objects.filter(kind=kind).first(),
        },
    )


def _proposal(key: str) -> Proposal:
    proposal = proposals_listing().filter(key=key).first()
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, key: str) -> HttpResponse:
    proposal = _proposal(key)
    entities = _admin_entities(request.user) if request.user.is_authenticated else Entity.objects.none()
    endorse_form = EndorseForm(entities=entities)
    comment_form = CommentForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if "stance" in request.POST:
            endorse_form = EndorseForm(request.POST, entities=entities)
            if endorse_form.is_valid():
                try:
                    endorse(
                        request.user,
                        proposal,
                        entity=endorse_form.cleaned_data["entity"],
                        stance=endorse_form.cleaned_data["stance"],
                        comment=endorse_form.cleaned_data["comment"],
                    )
                except PermissionDenied as denied:
                    endorse_form.add_error("entity", str(denied))
                except ValidationError as error:
                    for field, problems in error.message_dict.items():
                        for problem in problems:
                            endorse_form.add_error(field if field in endorse_form.fields else None, problem)
                else:
                    messages.success(request, _("The voice is recorded."))
                    return redirect("framework:proposal", key=proposal.key)
        else:
            comment_form = CommentForm(request.POST)
            if comment_form.is_valid():
                try:
                    comment_on(request.user, proposal, comment_form.cleaned_data["body"])
                except PermissionDenied as denied:
                    comment_form.add_error("body", str(denied))
                else:
                    return redirect("framework:proposal", key=proposal.key)
    endorsements = proposal.endorsements.select_related("entity", "person")
    changes = EndorsementChange.objects.filter(endorsement__proposal=proposal).select_related(
        "endorsement__entity", "person"
    )
    reading = evaluate_proposal(proposal, now=timezone.now(), provisional=True)
    return render(
        request,
        "framework/proposal_detail.html",
        {
            "proposal": proposal,
            "decision": getattr(proposal, "decision", None) if proposal.status == "closed" else None,
            "endorsements": endorsements,
            "changes": changes,
            "reading": reading,
            "comments": proposal.comments.select_related("author"),
            "endorse_form": endorse_form if entities.exists() and proposal.status == "open" else None,
            "comment_form": comment_form if request.user.is_authenticated else None,
            "history": history_of(proposal)[:100] if is_facilitator(request.user) else None,
            "panels": proposal_panels(proposal, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    if not is_facilitator(request.user):
        raise PermissionDenied(_("Only facilitators edit quorum rules."))
    forms = []
    for rule in QuorumRule.objects.all():
        posted = request.method == "POST" and request.POST.get("rule") == str(rule.pk)
        form = QuorumRuleForm(request.POST if posted else None, instance=rule, prefix=f"rule-{rule.pk}")
        if posted and form.is_valid():
            try:
                update_quorum_rule(request.user, rule, form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("The rule is saved; proposals already open keep theirs."))
                return redirect("framework:rules")
        forms.append((QuorumRule.objects.get(pk=rule.pk), form, history_of(rule)[:10]))
    return render(request, "framework/rules.html", {"forms": forms})


def history(request: HttpRequest) -> HttpResponse:
    versions = FrameworkVersion.objects.select_related("decision__proposal")
    compare = CompareForm(request.GET or None)
    changes = None
    if compare.is_valid():
        numbers = {
            v.number: v
            for v in versions
            if v.number in (compare.cleaned_data["a"], compare.cleaned_data["b"])
        }
        for field in ("a", "b"):
            if compare.cleaned_data[field] not in numbers:
                compare.add_error(field, _("There is no such version."))
        if compare.is_valid():
            before, after = numbers[compare.cleaned_data["a"]], numbers[compare.cleaned_data["b"]]
            changes = diff_snapshots(before.snapshot, after.snapshot)
    return render(
        request,
        "framework/history.html",
        {
            "versions": versions,
            "compare": compare,
            "changes": changes,
            "events": framework_audit_events() if is_facilitator(request.user) else None,
        },
    )


def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    version = get_object_or_404(FrameworkVersion.objects.select_related("decision__proposal"), number=number)
    previous = FrameworkVersion.objects.filter(number__lt=number).order_by("-number").first()
    changes = diff_snapshots(previous.snapshot, version.snapshot) if previous else []
    return render(
        request, "framework/version.html", {"version": version, "previous": previous, "changes": changes}
    )


def terms(request: HttpRequest) -> HttpResponse:
    """The taxonomy with its names in every UI language; facilitators follow a term to translate it."""
    languages = [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    groups = [
        (
            label,
            subject,
            [
                (term, [(code, (term.labels or {}).get(code, "")) for code, _name in languages])
                for term in model.objects.order_by("position", "key")
            ],
        )
        for subject, label, model in (
            ("type", _("Partnership types"), PartnershipType),
            ("theme", _("Themes"), Theme),
            ("grouping", _("Region groupings"), RegionGrouping),
        )
    ]
    return render(
        request,
        "framework/terms.html",
        {"groups": groups, "term_languages": languages, "can_translate": is_facilitator(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_labels(request: HttpRequest, subject: str, key: str) -> HttpResponse:
    models: dict[str, Any] = {"type": PartnershipType, "theme": Theme, "grouping": RegionGrouping}
    if subject not in models:
        raise Http404
    term = get_object_or_404(models[subject], key=key)
    if not is_facilitator(request.user):
        raise PermissionDenied
    form = TermLabelsForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid():
        set_term_labels(request.user, term, form.labels())
        messages.success(request, _("The names were saved."))
        return redirect("framework:terms")
    return render(request, "framework/term_labels.html", {"form": form, "term": term, "subject": subject})
