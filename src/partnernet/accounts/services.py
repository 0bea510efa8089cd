"""Writes about people's accounts: API tokens, and deleting an account with its personal data.

Each function owns its transaction and writes its audit event, like every other service.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnernet.accounts.models import TOKEN_START, ApiToken, token_digest
from partnernet.accounts.selectors import login_names
from partnernet.audit.models import AuditEvent
from partnernet.audit.services import record
from partnernet.directory.models import Entity, Membership
from partnernet.directory.services import ENTITIES

DELETED_LABEL = "deleted account"
"""What the audit log shows instead of a deleted person's name: the change stays, the person goes."""
USE_PRECISION = dt.timedelta(minutes=5)


@transaction.atomic
def create_token(user: Any, name: str, scope: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is shown once and never stored.

    The secret is ``pn_<prefix>_<random>``: 256 random bits, and a prefix that the token list shows.
    """
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), scope=scope, prefix=prefix, digest=token_digest(secret)
    )
    record(user, "create", "create_api_token", token, {"name": [None, token.name], "scope": [None, scope]})
    return token, secret


@transaction.atomic
def revoke_token(actor: Any, token: ApiToken) -> None:
    """Revoke for good; the row stays so the person can see when it was used last."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "update", "revoke_api_token", token, {"revoked": [False, True]})


def note_token_use(token: ApiToken) -> None:
    """Remember roughly when a token was last used; at most one write per token every few minutes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def delete_account(user: Any) -> None:
    """Delete a person's account and their personal data; the entities' records stay intact.

    Memberships, tokens, linked Wikimedia accounts, e-mail addresses and login attempts go. Audit events the
    person caused keep what happened and when, but name a neutral "deleted account" instead of the person,
    and events about their memberships lose the person's name too.
    """

    username = user.get_username()
    memberships = list(Membership.objects.filter(user=user).select_related("entity"))
    for membership in memberships:
        record(
            None,
            "delete",
            "delete_account_membership",
            membership,
            {"entity": [membership.entity.key, None], "role": [membership.role, None]},
            label=f"{DELETED_LABEL} · {membership.entity}",
        )
    personal_objects = [
        (ContentType.objects.get_for_model(Membership), [str(m.pk) for m in memberships]),
        (
            ContentType.objects.get_for_model(ApiToken),
            [str(pk) for pk in ApiToken.objects.filter(user=user).values_list("pk", flat=True)],
        ),
        (ContentType.objects.get_for_model(get_user_model()), [str(user.pk)]),
    ]
    for content_type, pks in personal_objects:
        about = AuditEvent.objects.filter(content_type=content_type, object_pk__in=pks)
        about.exclude(verb="delete_account_membership").update(object_label=DELETED_LABEL, changes={})
    AuditEvent.objects.filter(actor=user).update(actor=None, actor_label=DELETED_LABEL)
    AuditEvent.objects.filter(actor__isnull=True, actor_label=username).update(actor_label=DELETED_LABEL)
    record(None, "delete", "delete_account", user, label=DELETED_LABEL)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=login_names(user)).delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    user.delete()


def _free_entity_key(name: str) -> str:
    """A key no entity uses on any origin (so the person's profile is never mistaken for a seeded row)."""
    base = (slugify(name)[:90] or "individual").strip("-") or "individual"
    taken = set(Entity.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def create_individual_profile(
    user: Any, *, name: str, country: str | None = None, languages: list[str] | None = None
) -> Entity:
    """The person's own entity (kind ``individual``, no legal identity), with them as its admin.

    A volunteer without an organisation acts in the movement through it: asks for support, records
    partnerships, can be hosted. ``country`` is an ISO 3166-1 code, ``languages`` BCP 47 tags; the entities
    kind's cleaner checks both (``RecordRejected`` on bad values). One per person (``PermissionDenied``).
    """
    if not user.has_perm("accounts.create_individual_profile"):
        raise PermissionDenied(_("You already have an individual profile."))
    entity: Entity = ENTITIES.create(
        user,
        {
            "key": _free_entity_key(name),
            "name": name.strip(),
            "kind": Entity.Kind.INDIVIDUAL,
            "country": country or None,
            "languages": languages or [],
            "legal_identity": "no",
        },
    )
    membership = Membership.objects.create(user=user, entity=entity, role=Membership.Role.ADMIN)
    record(
        user,
        "create",
        "create_membership",
        membership,
        {"entity": [None, entity.key], "role": [None, membership.role]},
    )
    for cached in ("_partnernet_roles",):  # the rules' per-request cache of the person's roles
        if hasattr(user, cached):
            delattr(user, cached)
    return entity
