"""Who sees and who changes a resource: drafts stay private, only the publisher's admins and the
maintainers edit, a peer's copy is read-only for everyone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from partnernet.library.rules import resource_actions, visible_resources
from tests.factories import UserFactory, make_resource


def _visible(user: Any) -> set[str]:
    return set(visible_resources(user).values_list("key", flat=True))


def test_drafts_are_seen_only_by_the_publishers_admins_and_the_maintainers(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="draft", maintainers="maintainer")
    make_resource(lib.steward, lib.admin, key="out", status="published")
    make_resource(lib.steward, lib.admin, key="movement", status="published", visibility="movement")
    make_resource(lib.steward, lib.admin, key="private", status="published", visibility="private")
    assert _visible(lib.admin) == {"draft", "out", "movement", "private"}
    assert _visible(lib.maintainer) == {"draft", "out"}
    assert _visible(lib.member) == {"out", "movement", "private"}
    assert _visible(lib.outsider) == {"out", "movement"}
    assert _visible(AnonymousUser()) == {"out"}
    assert (
        lib.outsider.has_perm("library.view_resource", make_resource(lib.steward, lib.admin, key="d2"))
        is False
    )


def test_only_the_publishers_admins_and_the_maintainers_edit(lib: Any) -> None:
    resource = make_resource(lib.steward, lib.admin, key="r", status="published", maintainers="maintainer")
    assert resource_actions(lib.admin, resource).edit
    assert resource_actions(lib.maintainer, resource).edit
    assert not resource_actions(lib.member, resource).edit
    assert not resource_actions(lib.outsider, resource).edit
    assert not resource_actions(AnonymousUser(), resource).edit
    assert lib.admin.has_perm("library.add_resource", lib.steward)
    assert not lib.member.has_perm("library.add_resource", lib.steward)


def test_a_peers_copy_is_read_only_even_for_a_superuser(lib: Any) -> None:
    resource = make_resource(lib.steward, lib.admin, key="peer", status="published")
    type(resource).objects.filter(pk=resource.pk).update(origin="pn-0123456789abcdef")
    resource.refresh_from_db()
    boss = UserFactory(is_superuser=True)
    assert not resource_actions(boss, resource).edit
    assert not resource_actions(lib.admin, resource).edit
