"""Attachments of a resource: files checked like agreement uploads (``base.uploads.UploadCheck``), or links.

In exchange form an attachment is one of:

- an http(s) URL: a link, stored as given (never fetched: an import does not reach out to the network);
- a *stored name* (``library/<uuid>/<file>``): a file this instance already keeps, as ``export`` writes it,
  so that export → import changes nothing;
- a local path (``partnernet import`` only, read by the operator's command): the file is checked and copied
  into storage when the row is written.

Files live under the data folder's media root and are served by the resource page's download view, which
applies the resource's visibility; a peer receives them as URLs of that view (``wire_attachment``).
"""

from __future__ import annotations

import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from partnernet.base import fields as f
from partnernet.base.fields import FieldError
from partnernet.base.uploads import UploadCheck

PREFIX = "library/"


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def is_stored(item: str) -> bool:
    return item.startswith(PREFIX) and ".." not in PurePath(item).parts and default_storage.exists(item)


def _check(upload: object) -> None:
    try:
        UploadCheck()(upload)
    except ValidationError as error:
        raise FieldError(" ".join(str(m) for m in error.messages)) from None


def clean_attachment(raw: object, sources: frozenset[str]) -> str:
    """One attachment cell item, checked (see the module docstring). Besides URLs, ``sources`` may accept
    ``stored`` names and local ``path``s."""
    item = f.text(raw)  # type: ignore[arg-type]
    if is_url(item):
        return f.url(item)
    if "stored" in sources and is_stored(item):
        return item
    if "path" not in sources:
        raise FieldError(f"'{item}' is not an http(s) URL (upload files on the resource's page)")
    path = Path(item).expanduser()
    if not path.is_file():
        raise FieldError(f"'{item}' is neither an http(s) URL nor a readable file")
    with path.open("rb") as stream:
        upload = File(stream, name=path.name)
        upload.size = path.stat().st_size
        _check(upload)
    return item


def store_path(item: str) -> str:
    """Copy a checked local file into storage; its stored name."""
    path = Path(item).expanduser()
    with path.open("rb") as stream:
        return default_storage.save(f"{PREFIX}{uuid.uuid4().hex}/{path.name}", File(stream))


def store_upload(upload: UploadedFile) -> str:
    """Check an uploaded file (``FieldError`` when it is refused) and keep it; its stored name."""
    _check(upload)
    return default_storage.save(f"{PREFIX}{uuid.uuid4().hex}/{PurePath(upload.name or 'file').name}", upload)


def stored_items(items: list[str]) -> list[str]:
    """Local paths among ``items`` copied into storage; URLs and stored names as they are."""
    return [item if is_url(item) or is_stored(item) else store_path(item) for item in items]


def display_name(item: str) -> str:
    return PurePath(item).name if not is_url(item) else item


def wire_attachment(resource_key: str, index: int, item: str) -> str:
    """How a peer reaches an attachment: a link as it is, a file through this instance's download view."""
    if is_url(item):
        return item
    return f"{settings.BASE_URL}/library/{resource_key}/files/{index}/"
