"""The agreement process: proposals, the quorum rules they open with, endorsements, decisions and the
framework versions that applied decisions make.

The framework and its stewardships change only through proposals that the movement's entities endorse; a
quorum rule is data that facilitators edit, copied onto each proposal so a later edit never changes the
outcome of a proposal in flight.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.framework.models.stewardship import Stewardship
from partnernet.framework.models.taxonomy import PartnershipType, Region, Theme


class ProposalKind(models.TextChoices):
    TAKE_UP = "take_up", _("Take up a stewardship")
    CHANGE = "change", _("Change a stewardship")
    RETIRE = "retire", _("Retire a stewardship")
    ADD_TERM = "add_term", _("Add a type, theme or region grouping")
    RENAME_TERM = "rename_term", _("Rename a type, theme or region grouping")
    MERGE_TERMS = "merge_terms", _("Merge two types, themes or region groupings")
    RETIRE_TERM = "retire_term", _("Retire a type, theme or region grouping")


STEWARDSHIP_KINDS = (ProposalKind.TAKE_UP, ProposalKind.CHANGE, ProposalKind.RETIRE)
TAXONOMY_KINDS = (
    ProposalKind.ADD_TERM,
    ProposalKind.RENAME_TERM,
    ProposalKind.MERGE_TERMS,
    ProposalKind.RETIRE_TERM,
)


class TermSubject(models.TextChoices):
    TYPE = "type", _("Partnership type")
    THEME = "theme", _("Theme")
    GROUPING = "grouping", _("Region grouping")


class QuorumRule(models.Model):
    """The quorum a kind of proposal must meet, edited by facilitators; copied onto each proposal it opens.

    The share is a fraction (numerator / denominator) so "two thirds" is exact. Closing is ``duration_days``
    after opening.
    """

    kind = models.CharField(_("kind of proposal"), max_length=12, choices=ProposalKind.choices, unique=True)
    min_participants = models.PositiveSmallIntegerField(_("minimum entities taking part"), default=3)
    share_numerator = models.PositiveSmallIntegerField(_("support share: numerator"), default=2)
    share_denominator = models.PositiveSmallIntegerField(_("support share: denominator"), default=3)
    require_affected_region = models.BooleanField(
        _("an entity of the affected region must take part"), default=False
    )
    duration_days = models.PositiveSmallIntegerField(_("days open"), default=14)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quorum rule")
        verbose_name_plural = _("quorum rules")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProposalKind.values), name="quorum_rule_kind_valid"),
            models.CheckConstraint(condition=Q(min_participants__gte=1), name="quorum_rule_participants"),
            models.CheckConstraint(
                condition=Q(share_numerator__gte=1, share_numerator__lte=models.F("share_denominator")),
                name="quorum_rule_share_in_range",
            ),
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="quorum_rule_duration"),
        ]

    def __str__(self) -> str:
        return str(ProposalKind(self.kind).label)


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Proposal(GlobalRecord):
    """A proposed change to the framework or its stewardships, open for endorsement until ``closes_at``.

    The cell it affects is (type, theme, region), each optional for taxonomy changes. The quorum rule of its
    kind is copied at opening, so editing the rules later never changes the outcome of a proposal in flight.
    """

    Kind = ProposalKind
    Status = ProposalStatus

    key = models.SlugField(_("key"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    rationale = models.TextField(_("rationale"))
    proposer = models.ForeignKey(
        "directory.Entity", verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    type = models.ForeignKey(
        PartnershipType, verbose_name=_("partnership type"), null=True, blank=True, on_delete=models.PROTECT
    )
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    stewardship = models.ForeignKey(
        Stewardship,
        verbose_name=_("stewardship"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    changes = models.JSONField(
        _("proposed values"),
        default=dict,
        blank=True,
        help_text=_("Stewardship fields to set, or the term's subject, key, name and merge target."),
    )
    min_participants = models.PositiveSmallIntegerField(_("minimum entities taking part"))
    share_numerator = models.PositiveSmallIntegerField(_("support share: numerator"))
    share_denominator = models.PositiveSmallIntegerField(_("support share: denominator"))
    require_affected_region = models.BooleanField(_("an entity of the affected region must take part"))

    class Meta(GlobalRecord.Meta):
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="proposal_key_per_origin"),
            models.CheckConstraint(condition=Q(kind__in=ProposalKind.values), name="proposal_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="proposal_closes_later"
            ),
            models.CheckConstraint(
                condition=Q(share_numerator__gte=1, share_numerator__lte=models.F("share_denominator")),
                name="proposal_share_in_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"], name="proposal_status_closes")]

    def __str__(self) -> str:
        return self.title


class EndorsementStance(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    ABSTAIN = "abstain", _("Abstain")


class Endorsement(models.Model):
    """An entity's current voice on a proposal, cast by one of its admins; one per entity and proposal."""

    Stance = EndorsementStance

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="endorsements"
    )
    entity = models.ForeignKey(
        "directory.Entity", verbose_name=_("entity"), on_delete=models.PROTECT, related_name="endorsements"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cast by"), null=True, on_delete=models.SET_NULL
    )
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["entity__name"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "entity"], name="endorsement_one_voice_per_entity"),
            models.CheckConstraint(
                condition=Q(stance__in=EndorsementStance.values), name="endorsement_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} · {self.stance}"


class EndorsementChange(models.Model):
    """Every stance an entity took on a proposal, in order: the endorsement's history, never rewritten."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="changes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cast by"), null=True, on_delete=models.SET_NULL
    )
    stance = models.CharField(_("stance"), max_length=8, choices=EndorsementStance.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of stance")
        verbose_name_plural = _("changes of stance")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.endorsement} → {self.stance}"


class ProposalComment(models.Model):
    """A message in a proposal's discussion thread."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    body = models.TextField(_("comment"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal}"


class DecisionOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted and applied")
    REJECTED = "rejected", _("Rejected")
    NOT_APPLIED = "not_applied", _("Accepted, but could not be applied")


class Decision(models.Model):
    """The outcome of a closed proposal, with the tally and the rule applied. One per proposal."""

    Outcome = DecisionOutcome

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    support = models.PositiveIntegerField(_("support"))
    oppose = models.PositiveIntegerField(_("oppose"))
    abstain = models.PositiveIntegerField(_("abstain"))
    rule = models.JSONField(_("rule applied"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values), name="decision_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.outcome}"


class FrameworkVersion(models.Model):
    """The framework after an applied decision: a full snapshot (to diff any two) and its changelog."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="version"
    )
    changelog = models.TextField(_("changelog"))
    snapshot = models.JSONField(_("snapshot"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"
