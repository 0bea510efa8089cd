"""Who may record outcomes, fetch figures and edit rubrics and evaluations.

Outcomes follow their partnership: those who may change a partnership (a member of its lead or a
supporting entity, or a facilitator, on the instance that owns it) record and fetch its outcomes. The rubric
and the evaluations are the facilitators' (DESIGN.md: they read collective-impact reports and run the
framework).
"""

from __future__ import annotations

from typing import Any

import rules

from partnernet.directory.rules import is_facilitator, is_local_row
from partnernet.partnerships.rules import is_partnership_party


@rules.predicate
def can_record_outcomes(user: Any, partnership: Any) -> bool:
    return bool(is_local_row(user, partnership)) and bool(
        is_partnership_party(user, partnership) or is_facilitator(user)
    )


rules.add_perm("impact.record_outcomes", can_record_outcomes)
rules.add_perm("impact.fetch_outcomes", can_record_outcomes)
rules.add_perm("impact.fetch_all_outcomes", is_facilitator)
rules.add_perm("impact.change_rubric", is_facilitator)
rules.add_perm("impact.change_evaluation", is_facilitator)
