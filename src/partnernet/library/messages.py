"""The library's stored sentences (timeline steps and e-mails), declared with ``i18n.sentences``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "library.answered": _("Answered with resources from the library: %(resources)s"),
    "library.answer.subject": _("Your support request was answered with library resources"),
    "library.used.subject": _("A steward used your resource “%(title)s”"),
    "library.used.body": _("%(steward)s answered a support request with “%(title)s”."),
    "library.helped.subject": _("Someone found “%(title)s” helpful"),
    "library.helped.body": _("A reader marked your resource “%(title)s” as helpful."),
}
