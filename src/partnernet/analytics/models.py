"""Monthly snapshots of the network report, kept so trends can be drawn and durations measured.

The report itself is computed from live data on demand; only its figures are stored, once per month (taking a
snapshot again in the same month replaces that month's figures with fresher ones). Snapshots are never
deleted: they are the movement's record of whether it is becoming more distributed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The figures of ``analyze`` in one month, and each steward's load and capacity then.

    ``figures`` holds the ``analyze --json`` document without ``sustainability``; ``loads`` maps entity keys
    to ``[load, capacity]`` of the entities holding an active stewardship, which is what "over capacity for
    weeks" is measured from.
    """

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    taken = models.DateTimeField(_("taken"))
    figures = models.JSONField(_("figures"))
    loads = models.JSONField(_("loads"), default=dict, blank=True)

    class Meta:
        verbose_name = _("analytics snapshot")
        verbose_name_plural = _("analytics snapshots")
        ordering = ["month"]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")
