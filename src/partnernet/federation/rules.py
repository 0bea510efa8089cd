"""Who may see the federation pages: facilitators (and superusers, the operator) only."""

import rules

from partnernet.directory.rules import is_facilitator

rules.add_perm("federation.view_peers", is_facilitator)
