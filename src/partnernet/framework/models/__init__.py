"""The framework's models, by idea: the taxonomy (``taxonomy``), the stewardships held in its cells
(``stewardship``) and the agreement process that changes both (``agreement``).

Every model and choice is re-exported here, so ``from partnernet.framework.models import Stewardship`` stays
the one way to import them and the migrations see one app.
"""

from partnernet.framework.models.agreement import (
    STEWARDSHIP_KINDS,
    TAXONOMY_KINDS,
    Decision,
    DecisionOutcome,
    Endorsement,
    EndorsementChange,
    EndorsementStance,
    FrameworkVersion,
    Proposal,
    ProposalComment,
    ProposalKind,
    ProposalStatus,
    QuorumRule,
    TermSubject,
)
from partnernet.framework.models.stewardship import (
    LOAD_STATUSES,
    Stewardship,
    StewardshipLevel,
    StewardshipStatus,
)
from partnernet.framework.models.taxonomy import (
    PartnershipType,
    Region,
    RegionGrouping,
    RegionLevel,
    TaxonomyTerm,
    Theme,
)

__all__ = [
    "LOAD_STATUSES",
    "STEWARDSHIP_KINDS",
    "TAXONOMY_KINDS",
    "Decision",
    "DecisionOutcome",
    "Endorsement",
    "EndorsementChange",
    "EndorsementStance",
    "FrameworkVersion",
    "PartnershipType",
    "Proposal",
    "ProposalComment",
    "ProposalKind",
    "ProposalStatus",
    "QuorumRule",
    "Region",
    "RegionGrouping",
    "RegionLevel",
    "Stewardship",
    "StewardshipLevel",
    "StewardshipStatus",
    "TaxonomyTerm",
    "TermSubject",
    "Theme",
]
