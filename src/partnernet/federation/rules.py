"""Who may see and run the federation pages: facilitators (and superusers, the operator) only; staff
may too, as they run the instance's admin."""

import rules

from partnernet.directory.rules import is_facilitator


@rules.predicate
def is_staff(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


rules.add_perm("federation.view_peers", is_facilitator | is_staff)
rules.add_perm("federation.manage_peers", is_facilitator | is_staff)
