"""The capacity-building library: what a steward knows, published for the entities and volunteers it serves.

A ``Resource`` is a playbook, a template (agreement, MoU, letter), a tool (a link, with its Toolhub name where
it has one), a training module or a case study (linked to the impact area's evaluations). Its body is
Markdown, rendered and cleaned by ``core.markdown``; its attachments are files checked like agreement
uploads, or links. It goes draft → published → retired; every published change leaves a
``ResourceVersion``. How it is used (``ResourceAnswer``: a steward answered a support request with it;
``ResourceFeedback``: "this helped") stays on this instance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord

DEFAULT_LICENCE = "CC BY-SA 4.0"


class ResourceKind(models.TextChoices):
    PLAYBOOK = "playbook", _("Playbook")
    TEMPLATE = "template", _("Template")
    TOOL = "tool", _("Tool")
    TRAINING = "training", _("Training module")
    CASE_STUDY = "case_study", _("Case study")


class TemplateKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    MOU = "mou", _("Memorandum of understanding")
    LETTER = "letter", _("Letter")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ResourceVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MOVEMENT = "movement", _("Movement")
    PRIVATE = "private", _("Private")


class Resource(GlobalRecord):
    """One piece of capacity-building material, published by a steward entity and kept by its maintainers."""

    Kind = ResourceKind
    Status = ResourceStatus
    Visibility = ResourceVisibility

    key = models.SlugField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    template_kind = models.CharField(
        _("template for"), max_length=12, choices=TemplateKind.choices, blank=True
    )
    toolhub = models.CharField(_("Toolhub name"), max_length=200, blank=True)
    url = models.URLField(
        _("link"), blank=True, help_text=_("Where the material itself, or its source, lives.")
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    types = models.ManyToManyField(
        "framework.PartnershipType", verbose_name=_("partnership types"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField("framework.Theme", verbose_name=_("themes"), blank=True, related_name="+")
    regions = models.ManyToManyField(
        "framework.Region", verbose_name=_("regions"), blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=35)
    licence = models.CharField(_("licence"), max_length=100, default=DEFAULT_LICENCE)
    publisher = models.ForeignKey(
        "directory.Entity", verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="resources"
    )
    maintainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maintainers"),
        blank=True,
        related_name="maintained_resources",
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    evaluations = models.ManyToManyField(
        "impact.Evaluation", verbose_name=_("evaluations"), blank=True, related_name="resources"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=ResourceVisibility.choices, default=ResourceVisibility.PUBLIC
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["title"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="resource_key_per_origin"),
            models.CheckConstraint(condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ResourceStatus.values), name="resource_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(template_kind="") | Q(kind=ResourceKind.TEMPLATE),
                name="resource_template_kind_only_on_templates",
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility"], name="resource_status_visibility")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ResourceStatus.PUBLISHED


class ResourceVersion(models.Model):
    """The resource as it was published at one moment: every published change makes one, with who and when."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    row = models.JSONField(_("fields"), default=dict)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["resource_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class ResourceAnswer(models.Model):
    """A steward answered a support request with this resource (counts as a use)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="answers")
    request = models.ForeignKey("support.SupportRequest", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "request"], name="resource_answer_once_per_request"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} → {self.request_id}"


class ResourceFeedback(models.Model):
    """One person's "this helped" for a resource (once per person)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        "support.SupportRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="resource_feedback_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} helped {self.user_id}"
