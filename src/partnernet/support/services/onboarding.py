"""A person without an entity asks for support: their individual profile and their first request at once.

Both are written in one transaction, so a request that cannot be made (a bad key, a refusal) leaves no
profile behind, and a profile that cannot be made sends no request.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from partnernet.accounts.services import create_individual_profile
from partnernet.support.models import SupportRequest
from partnernet.support.services.workflow import create_request


@transaction.atomic
def ask_as_new_individual(actor: Any, *, profile: dict[str, Any], **request: Any) -> SupportRequest:
    """Make ``actor``'s individual profile (``profile``: name, country code, languages), then their request
    (``create_request``'s keywords, without ``requester``), routed as every request is."""
    entity = create_individual_profile(actor, **profile)
    return create_request(actor, requester=entity, **request)
