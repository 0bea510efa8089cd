"""What an uploaded file really is, told by its content rather than by its name or the browser's word.

``sniff`` reads the first bytes (and, for ZIP containers, the member list) of a binary stream and names the
format, or returns None. Callers compare that with the formats they accept and with the file's extension.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    key: str
    media_type: str
    extensions: tuple[str, ...]


TYPES = {
    t.key: t
    for t in (
        FileType("pdf", "application/pdf", (".pdf",)),
        FileType("png", "image/png", (".png",)),
        FileType("jpeg", "image/jpeg", (".jpg", ".jpeg")),
        FileType("odt", "application/vnd.oasis.opendocument.text", (".odt",)),
        FileType(
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
        ),
    )
}
AGREEMENT_TYPES = ("pdf", "odt", "docx", "png", "jpeg")
"""Formats an agreement file may have: signed scans and documents."""


def _zip_type(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return "odt" if mimetype == TYPES["odt"].media_type else None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def sniff(stream: BinaryIO) -> str | None:
    """The key of the format of ``stream`` (see ``TYPES``), or None when it is none of them.

    The stream is rewound before and after, so the caller can still save it.
    """
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    found: str | None = None
    if head.startswith(b"%PDF-"):
        found = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        found = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(stream)
    stream.seek(0)
    return found
