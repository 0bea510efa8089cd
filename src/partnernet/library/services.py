"""Every write of the library: resources (one writer for forms, API, import and federation), their versions,
and how they are used to answer support requests.

Versions: whenever a resource is published, or changed while published, the writer keeps a copy of its
exchange row with who and when (``ResourceVersion``) — one per change, not per save (a save that changes
nothing published makes none). Imports and peers' copies make versions too (by "import" or by the origin).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from partnernet.audit.services import record
from partnernet.base.cleaning import Clean
from partnernet.base.records import ForeignRow, Planned, RecordRejected, RecordWriter, WriteCounts
from partnernet.base.references import References
from partnernet.base.registry import record_kind
from partnernet.directory.models import Membership
from partnernet.i18n.sentences import Message, message
from partnernet.library.attachments import is_url, stored_items
from partnernet.library.models import (
    Resource,
    ResourceAnswer,
    ResourceFeedback,
    ResourceStatus,
    ResourceVersion,
)
from partnernet.notifications.services import notify
from partnernet.support.models import SupportRequest
from partnernet.support.services.steps import actor_label, add_event

VERSIONED = ResourceStatus.PUBLISHED


class ResourceWriter(RecordWriter):
    kind_name = "resources"
    noun = "resource"

    def before_save(self, obj: Any, clean: Clean, refs: References) -> None:
        obj.attachments = sorted(stored_items(list(obj.attachments or [])))

    def create(self, actor: Any, values: dict[str, Any], extra: dict[str, Any] | None = None) -> Any:
        with transaction.atomic():
            obj = super().create(actor, values, extra)
            record_versions([obj.pk], actor)
        return obj

    def update(
        self,
        actor: Any,
        obj: Any,
        changes: dict[str, Any],
        extra: dict[str, Any] | None = None,
        verb: str | None = None,
    ) -> Any:
        with transaction.atomic():
            super().update(actor, obj, changes, extra, verb)
            record_versions([obj.pk], actor)
        return obj

    def write_plan(self, plan: list[Planned], refs: References) -> WriteCounts:
        with transaction.atomic():
            counts = super().write_plan(plan, refs)
            keys = [item.clean["key"] for item in plan]
            from partnernet.base.identity import instance_id

            ids = Resource.objects.filter(origin=instance_id(), key__in=keys).values_list("pk", flat=True)
            record_versions(list(ids), None, "import")
        return counts

    def upsert_foreign(self, origin: str, rows: list[ForeignRow]) -> tuple[dict[UUID, str], int, int]:
        problems, created, updated = super().upsert_foreign(origin, rows)
        ids = Resource.objects.filter(origin=origin, uuid__in=[row.uuid for row in rows]).values_list(
            "pk", flat=True
        )
        record_versions(list(ids), None, origin)
        return problems, created, updated


RESOURCES = ResourceWriter()


def record_versions(ids: Iterable[int], actor: Any, label: str | None = None) -> list[ResourceVersion]:
    """A new version of each published resource among ``ids`` whose row differs from its latest version."""
    kind = record_kind("resources").exchange
    rows = kind.queryset().filter(pk__in=list(ids), status=VERSIONED)
    made: list[ResourceVersion] = []
    now = timezone.now()
    for obj in rows:
        row = _jsonable(kind.row(obj))
        latest = obj.versions.order_by("-number").first()
        if latest is not None and latest.row == row:
            continue
        made.append(
            ResourceVersion.objects.create(
                resource=obj,
                number=(latest.number + 1) if latest else 1,
                at=now,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_label=label or actor_label(actor),
                title=obj.title,
                body=obj.body,
                row=row,
            )
        )
    return made


def _jsonable(row: Clean) -> dict[str, Any]:
    return {name: value if isinstance(value, str | bool | int | list) or value is None else str(value)
            for name, value in row.items()}  # fmt: skip


# -- the use cases of the pages and the API --------------------------------------------------------------


def check_attachments(
    values: dict[str, Any], resource: Resource | None, uploaded: Iterable[str] = ()
) -> None:
    """Forms and the API may name links, files just uploaded, and files the resource already has — never a
    path on this machine or another resource's file (that is the operator's import only)."""
    allowed = {*uploaded, *((resource.attachments or []) if resource is not None else [])}
    raw = values.get("attachments") or []
    items = raw if isinstance(raw, list) else [part.strip() for part in str(raw).split(";") if part.strip()]
    bad = [str(item) for item in items if not is_url(str(item)) and str(item) not in allowed]
    if bad:
        raise RecordRejected(
            {
                "attachments": [
                    f"'{item}' is not an http(s) URL (upload files on the resource's page)" for item in bad
                ]
            }
        )


def create_resource(actor: Any, values: dict[str, Any], uploaded: Iterable[str] = ()) -> Resource:
    check_attachments(values, None, uploaded)
    return RESOURCES.create(actor, values)


def update_resource(
    actor: Any, resource: Resource, changes: dict[str, Any], uploaded: Iterable[str] = ()
) -> Resource:
    if "attachments" in changes:
        check_attachments(changes, resource, uploaded)
    return RESOURCES.update(actor, resource, changes)


def set_status(actor: Any, resource: Resource, status: str) -> Resource:
    """Publish (a draft or a retired resource) or retire (a published one); publishing makes a version."""
    verb = "publish_resource" if status == ResourceStatus.PUBLISHED else "retire_resource"
    return RESOURCES.update(actor, resource, {"status": status}, verb=verb)


def tell(subject: Message, body: list[Message], user_ids: Iterable[int]) -> int:
    """The one way the library tells people something: an in-app notification and an e-mail in each one's
    language, after the commit. Returns how many people were told."""
    return len(notify(set(user_ids), subject, body=body))


def _maintainer_ids(resource: Resource) -> set[int]:
    return set(resource.maintainers.values_list("pk", flat=True))


def answer_request(actor: Any, request: SupportRequest, resources: list[Resource], note: str = "") -> int:
    """A steward answers a support request with resources: each use counted, one step on the request's
    timeline, the requester and the resources' maintainers told. Returns how many resources were new to it."""
    if not actor.has_perm("support.answer_request", request):
        raise PermissionDenied("Only the steward holding the request may answer it with resources.")
    if not resources:
        raise RecordRejected({"resources": ["choose at least one resource"]})
    with transaction.atomic():
        given = set(ResourceAnswer.objects.filter(request=request).values_list("resource_id", flat=True))
        fresh = [resource for resource in resources if resource.pk not in given]
        now = timezone.now()
        ResourceAnswer.objects.bulk_create(
            [ResourceAnswer(resource=r, request=request, at=now, actor=actor) for r in fresh]
        )
        titles = {"messages": [message("text", text=r.title) for r in resources]}
        sentence = message("library.answered", resources=titles)
        add_event(request, "resources", actor, sentence)
        if note:
            add_event(request, "resources", actor, note)
        record(
            actor,
            "update",
            "answer_with_resources",
            request,
            {"resources": [None, [r.key for r in resources]]},
        )
        members = Membership.objects.filter(entity_id__in=[request.requester_id]).values_list(
            "user_id", flat=True
        )
        tell(message("library.answer.subject"), [sentence, message("mail.request_footer", key=request.key)],
             members)  # fmt: skip
        for resource in fresh:
            tell(
                message("library.used.subject", title=resource.title),
                [message("library.used.body", title=resource.title, steward=actor_label(actor))],
                _maintainer_ids(resource),
            )
    return len(fresh)


def mark_helped(actor: Any, resource: Resource, request: SupportRequest | None = None) -> bool:
    """ "This helped": once per person; the maintainers are told. Returns whether it was new."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Log in to say a resource helped.")
    if resource.status != ResourceStatus.PUBLISHED:
        raise RecordRejected({}, "Only a published resource can be marked as helpful.")
    with transaction.atomic():
        _, created = ResourceFeedback.objects.get_or_create(
            resource=resource, user=actor, defaults={"at": timezone.now(), "request": request}
        )
        if created:
            tell(
                message("library.helped.subject", title=resource.title),
                [message("library.helped.body", title=resource.title)],
                _maintainer_ids(resource),
            )
    return created
