"""Telling both sides of a pledge what happened: an in-app notification and an e-mail in each reader's
language (``notifications.services.notify``), from one small function so every caller tells the same way."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from partnernet.directory.models import Membership
from partnernet.i18n.sentences import Message, message
from partnernet.notifications.services import notify
from partnernet.sustainability.models import Need, Pledge


def tell(subject: Message, body: Message, user_ids: Iterable[int], url: str = "") -> int:
    """Notify the people ``user_ids``; their e-mails leave once the transaction commits. Returns how many
    people were told."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if not ids:
        return 0
    return len(notify(ids, subject, url, body=[body]))


def need_side(need: Need) -> set[int]:
    """The need's admins: the admins of the entity that declared it."""
    return set(
        Membership.objects.filter(entity_id=need.entity_id, role=Membership.Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )


def pledger_side(pledge: Pledge) -> set[int]:
    """The person who made the pledge, and the admins of the entity it pledged for."""
    people = {pledge.made_by_id} if pledge.made_by_id else set()
    if pledge.entity_id is not None:
        people |= set(
            Membership.objects.filter(entity_id=pledge.entity_id, role=Membership.Role.ADMIN).values_list(
                "user_id", flat=True
            )
        )
    return people


def amount_param(value: Decimal | None, need: Need) -> dict[str, Any]:
    """An amount as a sentence parameter, written for each reader (money in its currency, never converted)."""
    if value is None:
        return {"message": message("needs.no_amount")}
    if need.currency:
        return {"money": str(value), "currency": need.currency}
    return {"quantity": str(value), "unit": need.unit}


def link(need: Need) -> str:
    return settings.BASE_URL + reverse("sustainability:need", args=[need.key])


def pledge_event(pledge: Pledge, event: str) -> int:
    """Tell the need's admins and the pledger about ``event`` (made, delivered, cancelled) of ``pledge``."""
    need = pledge.need
    params = {
        "need": need.title,
        "entity": need.entity.name,
        "pledger": pledge.pledger_name,
        "what": pledge.what,
        "amount": amount_param(pledge.amount, need),
        "status": {"choice": "need_status", "value": need.status},
        "link": link(need),
    }
    return tell(
        message(f"mail.pledge_{event}.subject", **params),
        message(f"mail.pledge_{event}.body", **params),
        need_side(need) | pledger_side(pledge),
        reverse("sustainability:need", args=[need.key]),
    )


def need_withdrawn(need: Need, pledges: Iterable[Pledge]) -> int:
    people = need_side(need)
    for pledge in pledges:
        people |= pledger_side(pledge)
    params = {"need": need.title, "entity": need.entity.name, "link": link(need)}
    return tell(
        message("mail.need_withdrawn.subject", **params),
        message("mail.need_withdrawn.body", **params),
        people,
        reverse("sustainability:need", args=[need.key]),
    )
