"""Every write of the support workflow: one function per use case (Zulip's actions).

Views, the API, tasks and commands import from here; the use cases live by idea in ``workflow`` (a request's
lifecycle), ``hosting`` and ``rebalance``. The rebalance is loaded on first use: it brings numpy and OR-Tools
(about a tenth of a second), and this package is imported when the apps load, so every command line start
would pay for them otherwise.
"""

from typing import TYPE_CHECKING, Any

from partnernet.support.models import HOSTING_NEEDS
from partnernet.support.services.hosting import end_hosting, establish_hosting
from partnernet.support.services.onboarding import ask_as_new_individual
from partnernet.support.services.proposals import link_partner, submit_public_proposal
from partnernet.support.services.records import REQUESTS
from partnernet.support.services.steps import WorkflowError, explanation_for
from partnernet.support.services.workflow import (
    accept_offer,
    create_request,
    decline_offer,
    escalate_all_overdue,
    escalate_overdue,
    offer,
    resolve_request,
    route_request,
    start_work,
    withdraw,
)

if TYPE_CHECKING:
    from partnernet.support.services.rebalance import RebalanceReport, rebalance_requests

_LAZY = frozenset({"RebalanceReport", "rebalance_requests"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from partnernet.support.services import rebalance

        return getattr(rebalance, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "HOSTING_NEEDS",
    "REQUESTS",
    "RebalanceReport",
    "WorkflowError",
    "accept_offer",
    "ask_as_new_individual",
    "create_request",
    "decline_offer",
    "end_hosting",
    "escalate_all_overdue",
    "escalate_overdue",
    "establish_hosting",
    "explanation_for",
    "link_partner",
    "offer",
    "rebalance_requests",
    "resolve_request",
    "route_request",
    "start_work",
    "submit_public_proposal",
    "withdraw",
]
