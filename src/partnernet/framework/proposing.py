"""Checking a proposal's input before anything is written: the cell exists, the values make sense.

``validate_proposal`` turns the loose input of a form, an API body or a script into a ``Plan`` (the cell
and the proposed values, as stored on the proposal), adding a message per field to ``errors`` for
everything wrong; the caller writes nothing when ``errors`` is not empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from partnernet.directory.models import Entity
from partnernet.framework.models import (
    PartnershipType,
    ProposalKind,
    Region,
    RegionGrouping,
    Stewardship,
    StewardshipLevel,
    StewardshipStatus,
    TermSubject,
    Theme,
)

STEWARDSHIP_VALUES = ("level", "capacity", "response_days", "commitments", "term_start", "term_end")
CHANGEABLE = ("level", "capacity", "response_days", "commitments", "term_end")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass
class Plan:
    type: PartnershipType | None = None
    theme: Theme | None = None
    region: Region | None = None
    stewardship: Stewardship | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


TermModel = type[PartnershipType] | type[Theme] | type[RegionGrouping]


def term_model(subject: str) -> TermModel:
    models: dict[str, TermModel] = {
        TermSubject.TYPE: PartnershipType,
        TermSubject.THEME: Theme,
        TermSubject.GROUPING: RegionGrouping,
    }
    return models[subject]


def subject_label(subject: str) -> str:
    labels: dict[str, str] = {
        TermSubject.TYPE: _("partnership type"),
        TermSubject.THEME: _("theme"),
        TermSubject.GROUPING: _("region grouping"),
    }
    return str(labels[subject])


def _members(data: dict[str, Any], errors: dict[str, list[str]]) -> list[str]:
    """Region codes of a new grouping, separated by spaces, commas or semicolons; each must exist."""
    codes = sorted({code.upper() for code in re.split(r"[\s,;]+", _text(data, "members")) if code})
    if not codes:
        errors["members"] = [_("Name at least one region code (M49 area or country).")]
        return []
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors["members"] = [_("Unknown region codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    return codes


def _labels(data: dict[str, Any], plan: Plan, errors: dict[str, list[str]]) -> None:
    """The term's names in other languages (``labels``: language tag → name), carried with the decision."""
    labels = data.get("labels") or {}
    if not isinstance(labels, dict) or not all(
        isinstance(tag, str) and isinstance(text, str) and len(text) <= 200 for tag, text in labels.items()
    ):
        errors["labels"] = [_("Give the names in other languages as language tag → name, each at most 200.")]
        return
    cleaned = {tag.strip().lower(): text.strip() for tag, text in labels.items() if text.strip()}
    bad = [tag for tag in cleaned if not re.match(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", tag)]
    if bad:
        errors["labels"] = [_("Not a language tag: %(tags)s.") % {"tags": ", ".join(sorted(bad))}]
        return
    if cleaned:
        plan.changes["labels"] = cleaned


def validate_proposal(
    kind: ProposalKind, proposer: Entity, data: dict[str, Any], errors: dict[str, list[str]]
) -> Plan:
    if kind == ProposalKind.TAKE_UP:
        return _take_up(proposer, data, errors)
    if kind in (ProposalKind.CHANGE, ProposalKind.RETIRE):
        return _existing_stewardship(kind, proposer, data, errors)
    return _taxonomy(kind, data, errors)


def _cell(data: dict[str, Any], errors: dict[str, list[str]]) -> Plan:
    plan = Plan()
    type_key, theme_key, region_code = _text(data, "type"), _text(data, "theme"), _text(data, "region")
    if not type_key:
        errors["type"] = [_("Choose the partnership type of the cell.")]
    else:
        plan.type = PartnershipType.objects.filter(key=type_key, active=True).first()
        if plan.type is None:
            errors["type"] = [
                _("There is no partnership type '%(type_key)s' in the framework.") % {"type_key": type_key}
            ]
    if theme_key:
        plan.theme = Theme.objects.filter(key=theme_key, active=True).first()
        if plan.theme is None:
            errors["theme"] = [
                _("There is no theme '%(theme_key)s' in the framework.") % {"theme_key": theme_key}
            ]
    if not region_code:
        errors["region"] = [_("Choose the region of the cell (001 for the whole world).")]
    else:
        plan.region = Region.objects.filter(code=region_code.upper()).first()
        if plan.region is None:
            errors["region"] = [
                _("There is no region '%(region_code)s' (use an M49 or ISO 3166-1 code).")
                % {"region_code": region_code}
            ]
    return plan


def _int(data: dict[str, Any], name: str, errors: dict[str, list[str]], *, minimum: int) -> int | None:
    raw = _text(data, name)
    try:
        value = int(raw)
    except ValueError:
        errors[name] = [_("Enter a whole number of at least %(minimum)s.") % {"minimum": minimum}]
        return None
    if value < minimum:
        errors[name] = [_("Enter a whole number of at least %(minimum)s.") % {"minimum": minimum}]
        return None
    return value


def _date(data: dict[str, Any], name: str, errors: dict[str, list[str]]) -> str | None:
    raw = _text(data, name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _stewardship_values(
    data: dict[str, Any], names: tuple[str, ...], errors: dict[str, list[str]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        if data.get(name) in (None, ""):
            continue
        if name == "level":
            level = _text(data, "level")
            if level not in StewardshipLevel.values:
                errors["level"] = [_("Choose lead, co_lead or supporter.")]
            values["level"] = level
        elif name == "capacity":
            values["capacity"] = _int(data, "capacity", errors, minimum=0)
        elif name == "response_days":
            values["response_days"] = _int(data, "response_days", errors, minimum=1)
        elif name == "commitments":
            values["commitments"] = _text(data, "commitments")
        else:
            values[name] = _date(data, name, errors)
    start, end = values.get("term_start"), values.get("term_end")
    if start and end and end < start:
        errors["term_end"] = [_("The term cannot end before it starts.")]
    return values


def _take_up(proposer: Entity, data: dict[str, Any], errors: dict[str, list[str]]) -> Plan:
    plan = _cell(data, errors)
    for name in ("level", "capacity"):
        if _text(data, name) == "":
            errors[name] = [_("This field is required.")]
    plan.changes = _stewardship_values(data, STEWARDSHIP_VALUES, errors)
    plan.changes.setdefault("response_days", 7)
    if plan.type is not None and plan.region is not None and "theme" not in errors:
        duplicate = Stewardship.objects.filter(
            entity=proposer,
            type=plan.type,
            theme=plan.theme,
            region=plan.region,
            status__in=(StewardshipStatus.PROPOSED, StewardshipStatus.ACTIVE),
        ).first()
        if duplicate is not None:
            if duplicate.status == StewardshipStatus.ACTIVE:
                message = _("%(entity)s already holds a stewardship for this cell (%(key)s).")
            else:
                message = _("%(entity)s has already proposed a stewardship for this cell (%(key)s).")
            errors.setdefault("region", []).append(message % {"entity": proposer, "key": duplicate.key})
    return plan


def _existing_stewardship(
    kind: ProposalKind, proposer: Entity, data: dict[str, Any], errors: dict[str, list[str]]
) -> Plan:
    key = _text(data, "stewardship")
    stewardship = (
        Stewardship.objects.filter(key=key, status=StewardshipStatus.ACTIVE)
        .select_related("type", "theme", "region")
        .first()
    )
    if stewardship is None:
        errors["stewardship"] = [_("There is no active stewardship '%(key)s'.") % {"key": key}]
        return Plan()
    plan = Plan(stewardship.type, stewardship.theme, stewardship.region, stewardship)
    if kind == ProposalKind.CHANGE:
        if stewardship.entity_id != proposer.pk:
            errors["stewardship"] = [
                _("Only %(entity)s may propose changes to its own stewardship.")
                % {"entity": stewardship.entity}
            ]
        values = _stewardship_values(data, CHANGEABLE, errors)
        current = {
            "level": stewardship.level,
            "capacity": stewardship.capacity,
            "response_days": stewardship.response_days,
            "commitments": stewardship.commitments,
            "term_end": stewardship.term_end.isoformat() if stewardship.term_end else None,
        }
        plan.changes = {name: value for name, value in values.items() if current[name] != value}
        if not plan.changes and not errors:
            errors["__all__"] = [_("The proposal changes nothing: give at least one new value.")]
    return plan


def _taxonomy(kind: ProposalKind, data: dict[str, Any], errors: dict[str, list[str]]) -> Plan:
    subject = _text(data, "subject")
    if subject not in TermSubject.values:
        errors["subject"] = [_("Choose a partnership type, a theme or a region grouping.")]
        return Plan()
    model = term_model(subject)
    label = subject_label(subject)
    plan = Plan(changes={"subject": subject})
    if kind == ProposalKind.ADD_TERM:
        key, name = _text(data, "new_key"), _text(data, "name")
        if not KEY_PATTERN.match(key):
            errors["new_key"] = [_("Use a lower-case key of letters, digits, '-' or '_' (at most 64).")]
        elif model.objects.filter(key=key).exists():
            errors["new_key"] = [
                _("A %(label)s with the key '%(key)s' already exists.") % {"label": label, "key": key}
            ]
        if not name:
            errors["name"] = [_("Give the new name.")]
        plan.changes.update(key=key, name=name, description=_text(data, "description"))
        _labels(data, plan, errors)
        if subject == TermSubject.GROUPING:
            plan.changes["members"] = _members(data, errors)
        return plan
    key = _text(data, "term")
    term = model.objects.filter(key=key, active=True).first()
    if term is None:
        errors["term"] = [_("There is no %(label)s '%(key)s' in use.") % {"label": label, "key": key}]
        return plan
    if isinstance(term, PartnershipType):
        plan.type = term
    elif isinstance(term, Theme):
        plan.theme = term
    plan.changes["key"] = key
    if kind == ProposalKind.RENAME_TERM:
        name = _text(data, "name")
        if not name:
            errors["name"] = [_("Give the new name.")]
        elif name == term.name and not data.get("labels"):
            errors["name"] = [_("The new name is the current one.")]
        plan.changes["name"] = name
        _labels(data, plan, errors)
    elif kind == ProposalKind.MERGE_TERMS:
        into = _text(data, "into")
        if into == key:
            errors["into"] = [_("A %(label)s cannot be merged into itself.") % {"label": label}]
        elif not model.objects.filter(key=into, active=True).exists():
            errors["into"] = [
                _("There is no %(label)s '%(into)s' in use to merge into.") % {"label": label, "into": into}
            ]
        plan.changes["into"] = into
    return plan
