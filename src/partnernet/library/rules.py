"""Who may see and change library resources.

- Published (and retired) resources are seen by their visibility: ``public`` by everyone, ``movement`` by
  people who belong to an entity, ``private`` by the publisher's members and the maintainers.
- Drafts are private to the people who may edit them: the publisher's admins and the maintainers.
- Only the publisher's admins and the maintainers change a resource, and only on its origin (a peer's copy
  is read-only here, for everyone). The publisher's admins publish new resources for it.
- Superusers (the operator) see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q, QuerySet

from partnernet.directory.models import Membership
from partnernet.directory.rules import (
    entity_ids_of,
    is_entity_admin,
    is_entity_member,
    is_local_row,
    is_movement_member,
)
from partnernet.library.models import Resource, ResourceStatus, ResourceVisibility


def visible_resources(user: Any, queryset: QuerySet[Resource] | None = None) -> QuerySet[Resource]:
    """The one filter of the library page, its search, exports and the API."""
    rows = Resource.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False):
        return rows
    out_in_the_open = ~Q(status=ResourceStatus.DRAFT)
    seen = out_in_the_open & (
        ~Q(visibility=ResourceVisibility.PRIVATE)
        if is_movement_member(user)
        else Q(visibility=ResourceVisibility.PUBLIC)
    )
    if getattr(user, "is_authenticated", False):
        members = entity_ids_of(user)
        admins = entity_ids_of(user, Membership.Role.ADMIN)
        maintained = Resource.maintainers.through.objects.filter(user_id=user.pk).values("resource_id")
        seen |= out_in_the_open & Q(publisher_id__in=members)
        seen |= Q(publisher_id__in=admins) | Q(pk__in=maintained)
    return rows.filter(seen)


@rules.predicate
def is_maintainer(user: Any, resource: Resource | None) -> bool:
    return (
        resource is not None
        and getattr(user, "is_authenticated", False)
        and resource.maintainers.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_publisher_admin(user: Any, resource: Resource | None) -> bool:
    return resource is not None and bool(is_entity_admin(user, resource.publisher))


@rules.predicate
def can_view_resource(user: Any, resource: Resource | None) -> bool:
    if resource is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if resource.status == ResourceStatus.DRAFT:
        return bool(is_publisher_admin(user, resource) or is_maintainer(user, resource))
    if resource.visibility == ResourceVisibility.PUBLIC:
        return True
    if resource.visibility == ResourceVisibility.MOVEMENT and is_movement_member(user):
        return True
    return bool(is_entity_member(user, resource.publisher) or is_maintainer(user, resource))


rules.add_perm("library.view_resource", can_view_resource)
# add_resource is asked about the entity that would publish it: its admins publish in its name.
rules.add_perm("library.add_resource", is_entity_admin)
rules.add_perm("library.change_resource", is_local_row & (is_publisher_admin | is_maintainer))


@dataclass(frozen=True)
class ResourceActions:
    edit: bool = False
    publish: bool = False
    retire: bool = False
    see_use: bool = False
    mark_helped: bool = False


def resource_actions(user: Any, resource: Resource) -> ResourceActions:
    """What the resource page offers ``user``; a peer's copy is read-only for everyone."""
    edit = bool(is_local_row(user, resource)) and bool(user.has_perm("library.change_resource", resource))
    return ResourceActions(
        edit=edit,
        publish=edit and resource.status != ResourceStatus.PUBLISHED,
        retire=edit and resource.status == ResourceStatus.PUBLISHED,
        see_use=bool(is_entity_member(user, resource.publisher) or is_maintainer(user, resource)),
        mark_helped=bool(getattr(user, "is_authenticated", False))
        and resource.status == ResourceStatus.PUBLISHED,
    )
