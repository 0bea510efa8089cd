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

from partnernet.directory.models import Entity
from partnernet.framework.models import (
    PartnershipType,
    ProposalKind,
    Region,
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


def term_model(subject: str) -> type[PartnershipType] | type[Theme]:
    return PartnershipType if subject == TermSubject.TYPE else Theme


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
        errors["type"] = ["Choose the partnership type of the cell."]
    else:
        plan.type = PartnershipType.objects.filter(key=type_key, active=True).first()
        if plan.type is None:
            errors["type"] = [f"There is no partnership type '{type_key}' in the framework."]
    if theme_key:
        plan.theme = Theme.objects.filter(key=theme_key, active=True).first()
        if plan.theme is None:
            errors["theme"] = [f"There is no theme '{theme_key}' in the framework."]
    if not region_code:
        errors["region"] = ["Choose the region of the cell (001 for the whole world)."]
    else:
        plan.region = Region.objects.filter(code=region_code.upper()).first()
        if plan.region is None:
            errors["region"] = [f"There is no region '{region_code}' (use an M49 or ISO 3166-1 code)."]
    return plan


def _int(data: dict[str, Any], name: str, errors: dict[str, list[str]], *, minimum: int) -> int | None:
    raw = _text(data, name)
    try:
        value = int(raw)
    except ValueError:
        errors[name] = [f"Enter a whole number of at least {minimum}."]
        return None
    if value < minimum:
        errors[name] = [f"Enter a whole number of at least {minimum}."]
        return None
    return value


def _date(data: dict[str, Any], name: str, errors: dict[str, list[str]]) -> str | None:
    raw = _text(data, name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        errors[name] = ["Enter a date as YYYY-MM-DD."]
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
                errors["level"] = ["Choose lead, co_lead or supporter."]
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
        errors["term_end"] = ["The term cannot end before it starts."]
    return values


def _take_up(proposer: Entity, data: dict[str, Any], errors: dict[str, list[str]]) -> Plan:
    plan = _cell(data, errors)
    for name in ("level", "capacity"):
        if _text(data, name) == "":
            errors[name] = ["This field is required."]
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
            active = duplicate.status == StewardshipStatus.ACTIVE
            state = "already holds" if active else "has already proposed"
            errors.setdefault("region", []).append(
                f"{proposer} {state} a stewardship for this cell ({duplicate.key})."
            )
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
        errors["stewardship"] = [f"There is no active stewardship '{key}'."]
        return Plan()
    plan = Plan(stewardship.type, stewardship.theme, stewardship.region, stewardship)
    if kind == ProposalKind.CHANGE:
        if stewardship.entity_id != proposer.pk:
            errors["stewardship"] = [f"Only {stewardship.entity} may propose changes to its own stewardship."]
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
            errors["__all__"] = ["The proposal changes nothing: give at least one new value."]
    return plan


def _taxonomy(kind: ProposalKind, data: dict[str, Any], errors: dict[str, list[str]]) -> Plan:
    subject = _text(data, "subject")
    if subject not in TermSubject.values:
        errors["subject"] = ["Choose whether the change is to a partnership type or a theme."]
        return Plan()
    model = term_model(subject)
    label = "partnership type" if subject == TermSubject.TYPE else "theme"
    plan = Plan(changes={"subject": subject})
    if kind == ProposalKind.ADD_TERM:
        key, name = _text(data, "new_key"), _text(data, "name")
        if not KEY_PATTERN.match(key):
            errors["new_key"] = ["Use a lower-case key of letters, digits, '-' or '_' (at most 64)."]
        elif model.objects.filter(key=key).exists():
            errors["new_key"] = [f"A {label} with the key '{key}' already exists."]
        if not name:
            errors["name"] = ["Give the new name."]
        plan.changes.update(key=key, name=name, description=_text(data, "description"))
        return plan
    key = _text(data, "term")
    term = model.objects.filter(key=key, active=True).first()
    if term is None:
        errors["term"] = [f"There is no {label} '{key}' in use."]
        return plan
    if isinstance(term, PartnershipType):
        plan.type = term
    else:
        plan.theme = term
    plan.changes["key"] = key
    if kind == ProposalKind.RENAME_TERM:
        name = _text(data, "name")
        if not name:
            errors["name"] = ["Give the new name."]
        elif name == term.name:
            errors["name"] = ["The new name is the current one."]
        plan.changes["name"] = name
    elif kind == ProposalKind.MERGE_TERMS:
        into = _text(data, "into")
        if into == key:
            errors["into"] = [f"A {label} cannot be merged into itself."]
        elif not model.objects.filter(key=into, active=True).exists():
            errors["into"] = [f"There is no {label} '{into}' in use to merge into."]
        plan.changes["into"] = into
    return plan
