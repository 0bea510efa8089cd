"""One notification: a stored sentence for one person, where it leads, and whether they have read it.

Personal, like an API token: it is not a record of the exchange format, never federated nor exported; it
goes with the person's account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    sentence = models.JSONField(
        _("what happened"),
        help_text=_("A stored sentence (message id and parameters), read in each language."),
    )
    details = models.JSONField(
        _("details"), default=list, blank=True, help_text=_("Further stored sentences: the e-mail's body.")
    )
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sentence.get('id', '')}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
