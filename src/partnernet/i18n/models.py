"""The language a person reads Partnernet in, remembered for what reaches them outside a page (e-mails).

A page follows the language cookie or the browser; an e-mail is written when the person is not there, so the
language they last chose with the language switch is kept here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguagePreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="language_preference",
    )
    language = models.CharField(_("language"), max_length=12)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
