"""Panels that higher apps add to the support pages, without support importing them.

The library (a higher layer) shows the resources that fit a request on its page and in the steward's inbox;
it registers a provider from its ``AppConfig.ready()``. A provider takes the person and the requests shown
and returns, per request id, a panel: a template to include and its context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from partnernet.support.models import SupportRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Any, Sequence[SupportRequest], bool], dict[int, Panel]]
"""(person, requests, compact) -> panels by request id; ``compact`` for a row of the inbox."""

_PROVIDERS: list[Provider] = []


def register_request_panel(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def request_panels(
    user: Any, requests: Sequence[SupportRequest], compact: bool = False
) -> dict[int, list[Panel]]:
    """Every registered panel for each of ``requests``, in registration order."""
    found: dict[int, list[Panel]] = {}
    for provider in _PROVIDERS:
        for pk, panel in provider(user, requests, compact).items():
            found.setdefault(pk, []).append(panel)
    return found
