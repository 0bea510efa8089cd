"""File types are told by content."""

from __future__ import annotations

import io
import zipfile

import pytest

from partnernet.core.uploads import sniff


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0JFIF", "jpeg"),
        (b"#!/bin/sh\nrm -rf /", None),
        (b"<html><script>", None),
        (b"", None),
        (b"PK\x03\x04 broken zip", None),
    ],
)
def test_magic_bytes(content: bytes, expected: str | None) -> None:
    assert sniff(io.BytesIO(content)) == expected


def test_office_documents_are_told_by_their_members() -> None:
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert sniff(odt) == "odt"
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    assert sniff(docx) == "docx"
    assert sniff(_zip({"evil.exe": b"MZ"})) is None


def test_stream_is_rewound_for_saving() -> None:
    stream = io.BytesIO(b"%PDF-1.4 rest")
    stream.read(3)
    sniff(stream)
    assert stream.tell() == 0
