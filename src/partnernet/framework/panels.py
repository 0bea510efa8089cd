"""Panels that higher layers add to a proposal's page, without the framework importing them.

The framework sits below the apps that know more about a steward (its needs, its capacity plan). They
register a panel from their ``AppConfig.ready()``: a function of the proposal and the reader that returns a
template and its context, or ``None`` when it has nothing to show for that proposal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], tuple[str, dict[str, Any]] | None]

_PANELS: list[Panel] = []


def register_proposal_panel(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def proposal_panels(proposal: Any, user: Any) -> list[tuple[str, dict[str, Any]]]:
    """The panels that have something to show on ``proposal`` for ``user``, in registration order."""
    shown = []
    for panel in _PANELS:
        result = panel(proposal, user)
        if result is not None:
            shown.append(result)
    return shown
