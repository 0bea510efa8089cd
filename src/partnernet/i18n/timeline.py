"""Audit events as timeline sentences in the reader's language.

The audit log stores what happened as data (the use case ``verb``, who, and the fields changed), never as an
English sentence, so a timeline entry is composed when it is read: ``"ana recorded the partnership"``,
``"ana changed status and end"``, with the fields named by their translated labels. Old events need nothing:
they were always data.
"""

from __future__ import annotations

from typing import Any

from partnernet.audit.models import AuditEvent
from partnernet.i18n import formats
from partnernet.i18n.sentences import Message, message

VERBS: dict[str, str] = {
    "create_partnership": "timeline.recorded",
    "update_partnership": "timeline.changed",
    "add_agreement": "timeline.agreement",
    "create_entityprofile": "timeline.changed",
    "update_entity_profile": "timeline.changed",
    "import_entityprofile": "timeline.changed",
    "set_entity_home": "timeline.changed",
    "learn_entity_home": "timeline.changed",
    "move_entity_home": "timeline.changed",
}


def _field_names(event: AuditEvent) -> list[str]:
    model = event.content_type.model_class()
    names = []
    for name in event.changes:
        try:
            field: Any = model._meta.get_field(name) if model is not None else None
        except Exception:  # a field that no longer exists (or a computed key) keeps its stored name
            field = None
        names.append(str(field.verbose_name) if field is not None else name)
    return names


def timeline_message(event: AuditEvent) -> Message:
    """The stored sentence that tells ``event`` on a timeline."""
    who = event.actor_label or "—"
    verb = VERBS.get(event.verb)
    if verb == "timeline.changed" and event.changes:
        return message("timeline.changed", who=who, fields=formats.listing(_field_names(event)))
    if verb is not None and verb != "timeline.changed":
        return message(verb, who=who)
    return message("timeline.other", who=who, action={"choice": "audit_action", "value": event.action})
