"""Support requests as records of FORMATS.md: the writer that import and the API's record paths use, and
how requests follow a merged taxonomy term.

Asking for support is a workflow (``workflow.create_request`` routes at once); this writer is for rows that
arrive whole — an import of a spreadsheet of past requests, say — which are checked by the requests kind's
cleaner and count against the stewardship routing would pick for their cell (``RequestKind.prepare``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from partnernet.base.records import RecordWriter
from partnernet.base.signals import records_changed
from partnernet.support.models import SupportRequest


class RequestWriter(RecordWriter):
    kind_name = "requests"
    noun = "support request"


REQUESTS = RequestWriter()


def retag_requests(subject: str, source: Any, target: Any, moved: dict[str, int], **_: Any) -> None:
    """Receiver of ``framework.signals.terms_merged``: requests of a merged type or theme move to the term
    it merged into."""
    if subject not in ("type", "theme"):
        return
    rows = SupportRequest.objects.filter(**{subject: source})
    with transaction.atomic():
        ids = list(rows.values_list("pk", flat=True))
        moved["requests"] = SupportRequest.objects.filter(pk__in=ids).update(**{subject: target})
    records_changed.send(sender=SupportRequest, ids=ids)
