"""Movement entities, memberships of user accounts in them, and external partner institutions.

Accounts are people; entities are actors. A person acts for an entity through a ``Membership``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import SEED_ORIGIN, GlobalRecord


class EntityKind(models.TextChoices):
    CHAPTER = "chapter", _("Chapter")
    THEMATIC_ORG = "thematic_org", _("Thematic organisation")
    USER_GROUP = "user_group", _("User group")
    HUB = "hub", _("Hub")
    FOUNDATION = "foundation", _("Foundation")
    OTHER_ORG = "other_org", _("Other organisation")
    INDIVIDUAL = "individual", _("Individual")


class BudgetBand(models.TextChoices):
    NONE = "none", _("No budget")
    SMALL = "small", _("Under 50,000 USD a year")
    MEDIUM = "medium", _("50,000 to 500,000 USD a year")
    LARGE = "large", _("Over 500,000 USD a year")


class Entity(GlobalRecord):
    """Any movement actor: a chapter, a user group, a hub, the foundation, an individual volunteer …"""

    Kind = EntityKind

    BudgetBand = BudgetBand

    key = models.SlugField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    country = models.ForeignKey(
        "framework.Region",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "country"},
    )
    regions = models.ManyToManyField(
        "framework.Region", verbose_name=_("regions"), blank=True, related_name="entities"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    languages_derived = models.BooleanField(
        _("languages derived"),
        default=False,
        help_text=_("The languages were derived from CLDR's official languages of the country, not stated."),
    )
    legal_identity = models.BooleanField(
        _("legal identity"), null=True, blank=True, help_text=_("Can it sign agreements in its own name?")
    )
    wikidata = models.CharField(_("Wikidata item"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    staff_fte = models.DecimalField(_("staff (FTE)"), max_digits=7, decimal_places=2, null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=200,
        blank=True,
        help_text=_("Where it is registered as a legal body, if it is one."),
    )
    budget_band = models.CharField(_("budget band"), max_length=8, choices=BudgetBand.choices, blank=True)
    source_url = models.TextField(
        _("sources"), blank=True, help_text=_("Where the facts of this row come from.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    home = models.CharField(
        _("home instance"),
        max_length=64,
        blank=True,
        help_text=_(
            "Instance id of the one instance that publishes this entity's profile, stewardships and needs. "
            "Empty on a seeded row until a claim on it is approved somewhere."
        ),
    )

    class Meta(GlobalRecord.Meta):
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="entity_key_per_origin"),
            models.CheckConstraint(condition=Q(kind__in=EntityKind.values), name="entity_kind_valid"),
            models.CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=1000, founded__lte=9999),
                name="entity_founded_is_a_year",
            ),
            models.CheckConstraint(
                condition=Q(staff_fte__isnull=True) | Q(staff_fte__gte=0), name="entity_staff_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"], name="entity_kind_name"),
            # Kept figures' versions read the latest change (``base.versions``): one seek, not a scan.
            models.Index(fields=["updated_at"], name="entity_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def home_instance(self) -> str:
        """Where this entity is homed: the recorded home, else its origin; "" for an unclaimed seeded row.

        Why: a seeded affiliate is identical reference data on every instance, so no instance may speak for it
        until one is made its home by an approved claim (or an explicit, audited move).
        """
        if self.home:
            return self.home
        return "" if self.origin == SEED_ORIGIN else self.origin


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


class Membership(GlobalRecord):
    """A user account's role in an entity: admins act for the entity, members work within it."""

    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["user", "entity"], name="membership_once_per_entity"),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.entity} ({self.role})"


class PartnerKind(models.TextChoices):
    MUSEUM = "museum", _("Museum")
    LIBRARY = "library", _("Library")
    ARCHIVE = "archive", _("Archive")
    GALLERY = "gallery", _("Gallery")
    UNIVERSITY = "university", _("University")
    SCHOOL = "school", _("School")
    GOVERNMENT = "government", _("Government")
    COMPANY = "company", _("Company")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class Partner(GlobalRecord):
    """An external institution the movement partners with: a museum, library, university, agency …"""

    Kind = PartnerKind

    key = models.SlugField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=300, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    country = models.ForeignKey(
        "framework.Region",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "country"},
    )
    wikidata = models.CharField(_("Wikidata item"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    source_url = models.TextField(_("sources"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="partner_key_per_origin"),
            models.CheckConstraint(condition=Q(kind__in=PartnerKind.values), name="partner_kind_valid"),
        ]
        indexes = [
            # Kept figures' versions read the latest change (``base.versions``): one seek, not a scan.
            models.Index(fields=["updated_at"], name="partner_updated"),
        ]

    def __str__(self) -> str:
        return self.name


class EntityProfile(GlobalRecord):
    """This instance's profile of a seeded entity, kept beside the seed row (which stays identical reference
    data on every instance) and shown instead of it.

    Only the entity's home keeps a profile it may change (its origin is the home); peers receive it through
    the feed, and the profile whose origin is the entity's home wins on display and in routing.
    """

    key = models.SlugField(_("key"), max_length=100, help_text=_("The seeded entity's key."))
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="profiles"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("An e-mail address or a web page where people can reach the entity."),
    )
    description = models.TextField(_("description"), blank=True)
    wikidata = models.CharField(_("Wikidata item"), max_length=20, blank=True)
    legal_identity = models.BooleanField(_("legal identity"), null=True, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200, blank=True)
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    staff_fte = models.DecimalField(_("staff (FTE)"), max_digits=7, decimal_places=2, null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("entity profile")
        verbose_name_plural = _("entity profiles")
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="entity_profile_key_per_origin"),
            models.UniqueConstraint(fields=["origin", "entity"], name="entity_profile_once_per_origin"),
            models.CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=1000, founded__lte=9999),
                name="entity_profile_founded_is_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.origin})"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DecidedRecord(GlobalRecord):
    """A person's request that someone else decides (join requests, claims): pending until approved or
    refused, with who decided, when and why, so both kinds answer the same questions the same way."""

    Status = Decision

    status = models.CharField(_("status"), max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta(GlobalRecord.Meta):
        abstract = True


class JoinRequest(DecidedRecord):
    """A person asks to become a member of an entity; the entity's admins approve or refuse."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)

    class Meta(DecidedRecord.Meta):
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["user", "entity"], condition=Q(status="pending"), name="join_request_one_pending"
            ),
            models.CheckConstraint(condition=Q(status__in=Decision.values), name="join_request_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.entity}"


class Claim(DecidedRecord):
    """A person claims a real affiliate loaded by the seed, with evidence; facilitators decide. The approved
    claimant becomes its admin, and this instance its home."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimant"), on_delete=models.CASCADE, related_name="+"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="claims"
    )
    evidence_url = models.URLField(
        _("evidence (link)"),
        max_length=500,
        help_text=_("A page on the affiliate's site or on Meta-Wiki that names you as its contact."),
    )
    statement = models.TextField(_("statement"), help_text=_("Who you are and what your role is."))

    class Meta(DecidedRecord.Meta):
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["user", "entity"], condition=Q(status="pending"), name="claim_one_pending"
            ),
            models.CheckConstraint(condition=Q(status__in=Decision.values), name="claim_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.entity}"
