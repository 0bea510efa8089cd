"""Applying an accepted decision to the framework, and versioning the result.

Called by ``services.close_proposal`` inside a savepoint: every function here either completes or raises
``ValidationError`` (the world changed since the proposal opened), and the savepoint then rolls back every
partial write. Each change to a framework object writes its audit event; each applied decision makes a new
``FrameworkVersion`` holding a snapshot of the whole framework, so any two versions can be compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from partnernet.audit.services import diff, record, snapshot
from partnernet.base.signals import records_changed
from partnernet.directory.models import Entity
from partnernet.framework.labels import forget_term_labels
from partnernet.framework.models import (
    Decision,
    FrameworkVersion,
    PartnershipType,
    Proposal,
    ProposalKind,
    Region,
    RegionGrouping,
    Stewardship,
    StewardshipStatus,
    Theme,
)
from partnernet.framework.proposing import CHANGEABLE, Plan, subject_label, term_model
from partnernet.framework.signals import terms_merged

STEWARDSHIP_FIELDS = ("level", "capacity", "response_days", "commitments", "term_start", "term_end", "status")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def propose_stewardship(user: Any, entity: Entity, plan: Plan) -> Stewardship:
    """The stewardship a take-up proposal asks for, recorded now with status ``proposed``."""
    assert plan.type is not None
    assert plan.region is not None
    theme = plan.theme.key if plan.theme else "any"
    base = "-".join([entity.key, plan.type.key, theme, plan.region.code.lower()])
    key, n = base[:100], 1
    while Stewardship.objects.filter(key=key).exists():
        n += 1
        key = f"{base[:95]}-{n}"
    values = plan.changes
    stewardship = Stewardship.objects.create(
        key=key,
        entity=entity,
        type=plan.type,
        theme=plan.theme,
        region=plan.region,
        level=values["level"],
        capacity=values["capacity"],
        response_days=values.get("response_days") or 7,
        commitments=values.get("commitments") or "",
        term_start=_date(values.get("term_start")),
        term_end=_date(values.get("term_end")),
        status=StewardshipStatus.PROPOSED,
    )
    record(user, "create", "propose_stewardship", stewardship)
    return stewardship


def lapse_proposed_stewardship(proposal: Proposal) -> None:
    """A take-up that was not accepted leaves its proposed stewardship lapsed, never active."""
    stewardship = proposal.stewardship
    if stewardship is not None and stewardship.status == StewardshipStatus.PROPOSED:
        stewardship.status = StewardshipStatus.LAPSED
        stewardship.save(update_fields=["status", "updated_at"])
        record(None, "update", "decline_stewardship", stewardship, {"status": ["proposed", "lapsed"]})


def apply_decision(decision: Decision) -> FrameworkVersion:
    """Apply the accepted proposal of ``decision`` and make the framework version that follows it."""
    proposal = decision.proposal
    previous = _latest_version()
    if previous is None:
        _make_version(None, "The framework as it stood before the first decision of the agreement process.")
    appliers = {
        ProposalKind.TAKE_UP: _take_up,
        ProposalKind.CHANGE: _change,
        ProposalKind.RETIRE: _retire,
        ProposalKind.ADD_TERM: _add_term,
        ProposalKind.RENAME_TERM: _rename_term,
        ProposalKind.MERGE_TERMS: _merge_terms,
        ProposalKind.RETIRE_TERM: _retire_term,
    }
    changelog = appliers[ProposalKind(proposal.kind)](proposal)
    return _make_version(decision, changelog)


def _latest_version() -> FrameworkVersion | None:
    return FrameworkVersion.objects.select_for_update().order_by("-number").first()


def _make_version(decision: Decision | None, changelog: str) -> FrameworkVersion:
    number = (FrameworkVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    return FrameworkVersion.objects.create(
        number=number, decision=decision, changelog=changelog, snapshot=framework_snapshot()
    )


def framework_snapshot() -> dict[str, dict[str, dict[str, Any]]]:
    """The taxonomy and the active stewardships, as plain data keyed by key."""
    terms = {
        section: {
            row["key"]: {"name": row["name"], "active": row["active"]}
            for row in model.objects.values("key", "name", "active")
        }
        for section, model in (("types", PartnershipType), ("themes", Theme))
    }
    members: dict[str, list[str]] = {}
    for key, code in RegionGrouping.regions.through.objects.values_list(
        "regiongrouping__key", "region__code"
    ):
        members.setdefault(key, []).append(code)
    terms["groupings"] = {
        row["key"]: {
            "name": row["name"],
            "active": row["active"],
            "regions": sorted(members.get(row["key"], [])),
        }
        for row in RegionGrouping.objects.values("key", "name", "active")
    }
    stewardships = {
        row["key"]: {
            "entity": row["entity__key"],
            "type": row["type__key"],
            "theme": row["theme__key"],
            "region": row["region__code"],
            "level": row["level"],
            "capacity": row["capacity"],
            "response_days": row["response_days"],
            "term_end": row["term_end"].isoformat() if row["term_end"] else None,
        }
        for row in Stewardship.objects.filter(status=StewardshipStatus.ACTIVE).values(
            "key",
            "entity__key",
            "type__key",
            "theme__key",
            "region__code",
            "level",
            "capacity",
            "response_days",
            "term_end",
        )
    }
    return {**terms, "stewardships": stewardships}


def _locked_stewardship(proposal: Proposal, status: str) -> Stewardship:
    assert proposal.stewardship_id is not None
    stewardship = Stewardship.objects.select_for_update().get(pk=proposal.stewardship_id)
    if stewardship.status != status:
        raise ValidationError(
            f"Stewardship {stewardship.key} is {stewardship.status} now, no longer {status}."
        )
    return stewardship


def _take_up(proposal: Proposal) -> str:
    stewardship = _locked_stewardship(proposal, StewardshipStatus.PROPOSED)
    if (
        Stewardship.objects.filter(
            entity=stewardship.entity,
            type=stewardship.type,
            theme=stewardship.theme,
            region=stewardship.region,
            status=StewardshipStatus.ACTIVE,
        )
        .exclude(pk=stewardship.pk)
        .exists()
    ):
        raise ValidationError(f"{stewardship.entity} already holds an active stewardship for this cell.")
    stewardship.status = StewardshipStatus.ACTIVE
    stewardship.save(update_fields=["status", "updated_at"])
    record(None, "update", "activate_stewardship", stewardship, {"status": ["proposed", "active"]})
    return f"{stewardship.entity} takes up stewardship {stewardship.key} ({stewardship.level})."


def _change(proposal: Proposal) -> str:
    stewardship = _locked_stewardship(proposal, StewardshipStatus.ACTIVE)
    before = snapshot(stewardship, STEWARDSHIP_FIELDS)
    for name, value in proposal.changes.items():
        if name in CHANGEABLE:
            setattr(stewardship, name, _date(value) if name == "term_end" else value)
    stewardship.full_clean(exclude=["entity", "type", "theme", "region"])
    stewardship.save()
    changes = diff(before, snapshot(stewardship, STEWARDSHIP_FIELDS))
    record(None, "update", "change_stewardship", stewardship, changes)
    listed = ", ".join(f"{name} {old} → {new}" for name, (old, new) in changes.items())
    return f"Stewardship {stewardship.key} changes: {listed}."


def _retire(proposal: Proposal) -> str:
    stewardship = _locked_stewardship(proposal, StewardshipStatus.ACTIVE)
    stewardship.status = StewardshipStatus.LAPSED
    stewardship.save(update_fields=["status", "updated_at"])
    record(None, "update", "retire_stewardship", stewardship, {"status": ["active", "lapsed"]})
    return f"Stewardship {stewardship.key} of {stewardship.entity} is retired."


def _label(subject: str) -> str:
    return subject_label(subject).capitalize()


def _active_term(subject: str, key: str) -> PartnershipType | Theme | RegionGrouping:
    term = term_model(subject).objects.select_for_update().filter(key=key).first()
    if term is None or not term.active:
        raise ValidationError(f"{_label(subject)} '{key}' is no longer in use.")
    return term


def _add_term(proposal: Proposal) -> str:
    changes = proposal.changes
    model = term_model(changes["subject"])
    if model.objects.filter(key=changes["key"]).exists():
        raise ValidationError(f"{_label(changes['subject'])} '{changes['key']}' exists already.")
    position = (model.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    term = model.objects.create(
        key=changes["key"],
        name=changes["name"],
        description=changes.get("description", ""),
        position=position,
        labels=changes.get("labels", {}),
    )
    audit: dict[str, list[Any]] = {"name": [None, term.name]}
    if term.labels:
        audit["labels"] = [None, term.labels]
    if isinstance(term, RegionGrouping):
        term.regions.set(Region.objects.filter(code__in=changes.get("members", [])))
        audit["regions"] = [None, changes.get("members", [])]
    record(None, "create", "add_term", term, audit)
    return f"{_label(changes['subject'])} '{term.key}' ({term.name}) is added."


def _rename_term(proposal: Proposal) -> str:
    changes = proposal.changes
    term = _active_term(changes["subject"], changes["key"])
    before, labels_before = term.name, dict(term.labels or {})
    term.name = changes["name"]
    term.labels = {**labels_before, **changes.get("labels", {})}
    term.save(update_fields=["name", "labels", "updated_at"])
    audit: dict[str, list[Any]] = {"name": [before, term.name]}
    if term.labels != labels_before:
        audit["labels"] = [labels_before, term.labels]
    record(None, "update", "rename_term", term, audit)
    forget_term_labels()
    return f"{_label(changes['subject'])} '{term.key}' is renamed from {before} to {term.name}."


def _retire_term(proposal: Proposal) -> str:
    changes = proposal.changes
    term = _active_term(changes["subject"], changes["key"])
    term.active = False
    term.save(update_fields=["active", "updated_at"])
    record(None, "update", "retire_term", term, {"active": [True, False]})
    return f"{_label(changes['subject'])} '{term.key}' ({term.name}) is retired."


def _merge_terms(proposal: Proposal) -> str:
    """Move every reference from the merged term to the one it merges into, then retire the merged term."""
    changes = proposal.changes
    source = _active_term(changes["subject"], changes["key"])
    target = _active_term(changes["subject"], changes["into"])
    moved: dict[str, int] = {}
    if isinstance(source, RegionGrouping):
        assert isinstance(target, RegionGrouping)
        before = set(target.regions.values_list("code", flat=True))
        target.regions.add(*source.regions.all())
        moved["regions"] = len(set(target.regions.values_list("code", flat=True)) - before)
    else:
        subject = "type" if isinstance(source, PartnershipType) else "theme"
        stewardships = Stewardship.objects.filter(**{subject: source})
        ids = list(stewardships.values_list("pk", flat=True))
        terms_merged.send(sender=type(source), subject=subject, source=source, target=target, moved=moved)
        moved["stewardships"] = stewardships.update(**{subject: target})
        records_changed.send(sender=Stewardship, ids=ids)
        moved["requests"] = moved.pop(
            "requests", 0
        )  # the changelog lists partnerships, stewardships, requests
        Proposal.objects.filter(status=Proposal.Status.OPEN, **{subject: source}).update(**{subject: target})
    source.active = False
    source.save(update_fields=["active", "updated_at"])
    counts = {name: [0, count] for name, count in moved.items()}
    record(None, "update", "merge_term", source, {"active": [True, False], "merged_into": [None, target.key]})
    record(None, "update", "merge_term", target, {f"{name} moved in": pair for name, pair in counts.items()})
    summary = ", ".join(f"{count} {name}" for name, count in moved.items())
    return f"{_label(changes['subject'])} '{source.key}' is merged into '{target.key}' ({summary} moved)."
