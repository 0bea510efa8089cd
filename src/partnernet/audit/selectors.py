"""Reading the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from partnernet.audit.models import AuditEvent


def history_of(obj: Model) -> QuerySet[AuditEvent]:
    """Every event about ``obj``, newest first."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEvent.objects.filter(content_type=content_type, object_pk=str(obj.pk)).select_related(
        "actor", "content_type"
    )
