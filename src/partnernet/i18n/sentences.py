"""Stored sentences: what happened is stored as a message id and its parameters, and read in the reader's
language, never as an English sentence built in code.

A routing explanation, a timeline step or an e-mail is written once and read later by people who each read
their own language, so it is kept as data::

    {"id": "routing.routed_to", "params": {"steward": "Wikimedia Sverige", "reasons": {"messages": [...]}}}

and rendered at reading time by :func:`render`. Each id names a translatable message with named placeholders
(and plural forms where a count decides the wording), declared once in ``MESSAGES``, so translators see whole
sentences. A parameter is plain text or a number (shown as is: a name, a count), or a reference that is named
in the reader's language when it is read::

    {"region": "154", "name": "Northern Europe"}   a region (CLDR name; the stored name as fall-back)
    {"language": "sv"}                             a language (CLDR name)
    {"date": "2025-02-12"} / {"datetime": "…"}     a day / a moment (CLDR formats)
    {"number": 1234.5}                             a number with the reader's separators
    {"message": {...}}                             another stored sentence
    {"messages": [{...}, ...]}                     sentences joined as the language joins a list

Apps add kinds of their own (partnership types, themes, levels …) with :func:`register_kind`, from their
``AppConfig.ready()``, so this module imports no app. Rows written before a field held a sentence keep their
text and are shown as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from partnernet.i18n import formats
from partnernet.i18n.names import language_name, region_name

Message = dict[str, Any]
Resolver = Callable[[dict[str, Any]], str]

MESSAGES: dict[str, Promise] = {
    # Routing (DESIGN.md "Routing"): why a stewardship was chosen, one clause per reason.
    "routing.routed_to": _("Routed to %(steward)s: %(reasons)s"),
    "routing.lead": pgettext_lazy("routing reason", "%(type)s lead"),
    "routing.co_lead": pgettext_lazy("routing reason", "%(type)s co-lead"),
    "routing.supporter": pgettext_lazy("routing reason", "%(type)s supporter"),
    "routing.lead_theme": pgettext_lazy("routing reason", "%(type)s lead for %(theme)s"),
    "routing.co_lead_theme": pgettext_lazy("routing reason", "%(type)s co-lead for %(theme)s"),
    "routing.supporter_theme": pgettext_lazy("routing reason", "%(type)s supporter for %(theme)s"),
    "routing.for_region": pgettext_lazy("routing reason", "%(role)s for %(region)s"),
    "routing.worldwide": pgettext_lazy("routing reason", "%(role)s worldwide"),
    "routing.load": pgettext_lazy("routing reason", "load %(load)s/%(capacity)s"),
    "routing.shares": pgettext_lazy("routing reason", "shares %(language)s"),
    "routing.at_capacity": pgettext_lazy("routing reason", "at capacity"),
    "routing.facilitator_chose": _("A facilitator (%(name)s) chose %(steward)s."),
    "routing.nobody_left": _("No steward is left to offer it to."),
    "routing.nobody_covers": _("No active stewardship covers this type and region."),
    "routing.no_legal_identity": _(
        "Only stewards without a legal identity cover this cell, and %(need)s needs one that can sign in its "
        "own name."
    ),
    "routing.only_the_requester": _("The only steward of this cell is the entity that asks."),
    "routing.asked_for": _("%(decision)s (asked for by the requester)"),
    "routing.runners_up": ngettext_lazy(
        "%(decision)s. Next in line: %(names)s.", "%(decision)s. Next in line: %(names)s.", "count"
    ),
    "support.term_ended": _("The term of %(steward)s's stewardship ended."),
    # Timeline notes of a support request.
    "support.proposed_by": _("Proposed by %(name)s"),
    "support.no_answer": _("%(steward)s did not answer by %(due)s."),
    "support.withdrawn": _("The requester withdrew it."),
    "support.peer_declined": _("%(steward)s declined on their instance (%(peer)s)."),
    "support.peer_accepted": _("Accepted on %(peer)s."),
    "support.peer_started": _("Work started on %(peer)s."),
    "support.sender_moved_on": _("Withdrawn or routed elsewhere by the instance that sent it (%(peer)s)."),
    "support.peer_suspended": _(
        "%(steward)s is on instance %(peer)s, which this instance's operators suspended; offered to the next "
        "candidate."
    ),
    "support.peer_declined_because": _("%(steward)s declined on their instance (%(peer)s): %(reason)s"),
    # E-mails about a support request: subjects and bodies.
    "mail.offered.subject": _("Support request offered to %(steward)s"),
    "mail.offered.body": ngettext_lazy(
        "The request was offered to %(steward)s.\nWhy: %(why)s\nThe steward has %(days)s day to answer; "
        "after that the request moves to the next candidate.",
        "The request was offered to %(steward)s.\nWhy: %(why)s\nThe steward has %(days)s days to answer; "
        "after that the request moves to the next candidate.",
        "days",
    ),
    "mail.queued.subject": _("Support request sent to the facilitators' queue"),
    "mail.queued.body": _("%(why)s Facilitators will look for a steward."),
    "mail.accepted.subject": _("Support request accepted by %(steward)s"),
    "mail.accepted.body": _("%(steward)s accepted the request and will be in touch."),
    "mail.peer_accepted.subject": _("Support request accepted"),
    "mail.peer_accepted.body": _("%(steward)s accepted it."),
    "mail.started.subject": _("Work started on your support request"),
    "mail.started.body": _("The steward started work on it."),
    "mail.resolved.subject": _("Support request resolved"),
    "mail.withdrawn.subject": _("Support request withdrawn"),
    "mail.hosting.subject": _("Hosting established"),
    "mail.hosting.body": _("%(host)s now hosts %(hosted)s: it signs agreements for it and holds its funds."),
    "mail.hosting_ended.subject": _("Hosting ended"),
    "mail.hosting_ended.body": _("%(side)s ended the hosting of %(hosted)s by %(host)s: %(reason)s"),
    "mail.request_footer": _("Request: %(key)s"),
    "mail.follow_link": _("Follow your proposal at this private link (do not share it): %(link)s"),
    "mail.proposal_opened.subject": _("Proposal opened: %(title)s"),
    "mail.proposal_opened.body": _(
        "%(proposer)s proposes: %(title)s\n\n%(rationale)s\n\n"
        "Entities may endorse, oppose or abstain until %(closes)s.\n%(link)s\n"
    ),
    "mail.proposal_closed.subject": _("Proposal closed: %(title)s (%(outcome)s)"),
    "mail.proposal_closed.body": _(
        "The proposal %(title)s closed: %(outcome)s.\n"
        "Support %(support)s, oppose %(oppose)s, abstain %(abstain)s.\n%(reasons)s\n%(link)s\n"
    ),
    # Joining an entity and claiming a seeded affiliate (``directory/joining.py``, ``directory/telling.py``).
    "mail.join_asked.subject": _("%(person)s asks to join %(entity)s"),
    "mail.join_asked.body": _(
        "%(person)s asks to become a member of %(entity)s.\n\n%(message)s\n\n"
        "Approve or refuse it on the entity's page: %(link)s"
    ),
    "mail.join_sent.subject": _("Your request to join %(entity)s was sent"),
    "mail.join_sent.body": _("The admins of %(entity)s will approve or refuse it; you will be told."),
    "mail.join_approved.subject": _("You are now a member of %(entity)s"),
    "mail.join_approved.body": _("%(decider)s approved your request: %(link)s"),
    "mail.join_refused.subject": _("Your request to join %(entity)s was refused"),
    "mail.join_refused.body": _("%(decider)s refused your request. %(reason)s"),
    "mail.claim_made.subject": _("%(person)s claims %(entity)s"),
    "mail.claim_made.body": _(
        "%(person)s claims to represent %(entity)s.\n\nEvidence: %(evidence)s\n\n%(statement)s\n\n"
        "Review it in the facilitators' queue: %(link)s"
    ),
    "mail.claim_sent.subject": _("Your claim on %(entity)s was received"),
    "mail.claim_sent.body": _(
        "Facilitators will review your evidence and approve or refuse it; you will be told."
    ),
    "mail.claim_approved.subject": _("You are now an admin of %(entity)s"),
    "mail.claim_approved.body": _("%(decider)s approved your claim. You can now edit its profile: %(link)s"),
    "mail.claim_refused.subject": _("Your claim on %(entity)s was refused"),
    "mail.claim_refused.body": _("%(decider)s refused your claim. %(reason)s"),
    # E-mails about needs and pledges (the sustainability app): both sides are told.
    "mail.pledge_made.subject": _("New pledge to %(need)s"),
    "mail.pledge_made.body": _(
        "%(pledger)s pledged %(what)s (%(amount)s) to the need %(need)s of %(entity)s.\n"
        "The need's admins confirm it once it is delivered.\n%(link)s"
    ),
    "mail.pledge_delivered.subject": _("Pledge delivered: %(need)s"),
    "mail.pledge_delivered.body": _(
        "%(entity)s confirmed that %(pledger)s delivered %(what)s (%(amount)s).\n"
        "The need is now: %(status)s.\n%(link)s"
    ),
    "mail.pledge_cancelled.subject": _("Pledge cancelled: %(need)s"),
    "mail.pledge_cancelled.body": _(
        "The pledge of %(pledger)s (%(what)s) to the need %(need)s was cancelled.\n%(link)s"
    ),
    "mail.need_withdrawn.subject": _("Need withdrawn: %(need)s"),
    "mail.need_withdrawn.body": _(
        "%(entity)s withdrew the need %(need)s; pledges not yet delivered are cancelled.\n%(link)s"
    ),
    "needs.no_amount": pgettext_lazy("a pledge without an amount", "no amount"),
    # Timeline entries composed from the audit log (``i18n/timeline.py``).
    "timeline.recorded": _("%(who)s recorded the partnership"),
    "timeline.changed": _("%(who)s changed %(fields)s"),
    "timeline.agreement": _("%(who)s added an agreement"),
    "timeline.other": _("%(action)s by %(who)s"),
    "text": pgettext_lazy("a stored text shown as it was written", "%(text)s"),
}

_KINDS: dict[str, Resolver] = {}
_CHOICES: dict[str, Any] = {}


def register_messages(messages: Mapping[str, Promise]) -> None:
    """Declare an app's own message ids (from its ``AppConfig.ready()``), so this module imports no app."""
    MESSAGES.update(messages)


def register_choices(name: str, choices: Any) -> None:
    """Show ``{"choice": name, "value": v}`` as the label of ``v`` among the ``TextChoices`` ``choices``."""
    _CHOICES[name] = choices


def register_kind(name: str, resolver: Resolver) -> None:
    """Let parameters ``{name: value, ...}`` be named by ``resolver`` when read (in the active language)."""
    _KINDS[name] = resolver


def message(id_: str, **params: Any) -> Message:
    """A sentence to store; ``KeyError`` for an id that ``MESSAGES`` does not declare."""
    if id_ not in MESSAGES:
        raise KeyError(f"no message {id_!r}")
    return {"id": id_, "params": params}


def _resolve(value: Any, language: str | None) -> Any:
    if not isinstance(value, dict):
        return value
    if "message" in value:
        return render(value["message"], language)
    if "messages" in value:
        return formats.listing([render(item, language) for item in value["messages"]], language)
    if "region" in value:
        return region_name(str(value["region"]), str(value.get("name") or value["region"]), language)
    if "language" in value:
        return language_name(value["language"], language)
    if "date" in value:
        return formats.date(dt.date.fromisoformat(value["date"]), language)
    if "datetime" in value:
        moment = dt.datetime.fromisoformat(value["datetime"])
        return formats.datetime(moment, language, style="short") + " UTC"
    if "number" in value:
        return formats.number(value["number"], language)
    if "choice" in value:
        choices = _CHOICES.get(value["choice"])
        labels = dict(choices.choices) if choices is not None else {}
        return str(labels.get(value.get("value"), value.get("value", "")))
    for name, resolver in _KINDS.items():
        if name in value:
            return resolver(value)
    return value.get("name", "")


def render(stored: Message | None, language: str | None = None, fallback: str = "") -> str:
    """The stored sentence in ``language`` (default: the active one); ``fallback`` when there is none."""
    if not stored or stored.get("id") not in MESSAGES:
        return fallback
    with translation.override(language or translation.get_language()):
        params = {name: _resolve(value, language) for name, value in stored.get("params", {}).items()}
        try:
            return str(MESSAGES[stored["id"]] % params)
        except (KeyError, TypeError, ValueError):
            return fallback or str(MESSAGES[stored["id"]])


def english(stored: Message) -> str:
    """The sentence in English, for the text columns the API, exports and the command line keep."""
    return render(stored, "en")
