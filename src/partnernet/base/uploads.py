"""Upload checks for forms and the API: size first, then the type told by the content.

Use on a FileField (``validators=[UploadCheck()]``) or call it on any uploaded file. The extension must match
the sniffed content, so a script renamed to ``.pdf`` and a PDF renamed to ``.png`` are both refused.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from partnernet.core.uploads import AGREEMENT_TYPES, TYPES, sniff


@deconstructible
class UploadCheck:
    def __init__(self, allowed: tuple[str, ...] = AGREEMENT_TYPES, max_bytes: int | None = None):
        unknown = set(allowed) - set(TYPES)
        if unknown:
            raise ValueError(f"unknown file types: {sorted(unknown)}")
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadCheck) and (self.allowed, self.max_bytes) == (
            other.allowed,
            other.max_bytes,
        )

    def __call__(self, upload: Any) -> None:
        limit = self.max_bytes if self.max_bytes is not None else settings.PARTNERNET_UPLOAD_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s is accepted."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        accepted = ", ".join(ext for key in self.allowed for ext in TYPES[key].extensions)
        found = sniff(upload.file if hasattr(upload, "file") else upload)
        if found is None or found not in self.allowed:
            raise ValidationError(
                _("The file's content is not one of the accepted formats (%(accepted)s)."),
                code="bad_type",
                params={"accepted": accepted},
            )
        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in TYPES[found].extensions:
            raise ValidationError(
                _("The file is a %(found)s but is named “%(name)s”; give it the extension %(expected)s."),
                code="misnamed",
                params={
                    "found": found.upper(),
                    "name": PurePath(upload.name or "").name,
                    "expected": TYPES[found].extensions[0],
                },
            )
