"""Signals of the framework for the apps above it.

``stewardships_lapsed`` is sent when stewardships stop serving because their term ended (``ids``), inside
the lapsing transaction: the support app moves the requests still offered to them on.

``terms_merged`` is sent, inside the transaction applying an accepted merge, when a partnership type or a
theme is merged into another: the apps whose records name the term (partnerships, support) move them to the
term it merged into, each through its own writes, and add their counts to ``moved`` for the decision's
changelog. The framework does not import those apps.
"""

from django.dispatch import Signal

terms_merged = Signal()
"""Arguments: ``subject`` ("type" or "theme"), ``source`` and ``target`` (the terms), ``moved`` (a dict of
counts per kind of record, to fill in)."""

stewardships_lapsed = Signal()
"""Arguments: ``ids`` of the stewardships that just lapsed."""
