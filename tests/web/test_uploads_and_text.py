"""The reusable upload check and the markdown template filter."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from partnernet.base.uploads import UploadCheck


def test_a_real_pdf_named_pdf_passes() -> None:
    UploadCheck()(SimpleUploadedFile("agreement.pdf", b"%PDF-1.7\n%%EOF"))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("agreement.pdf", b"#!/bin/sh\necho pwned", "bad_type"),
        ("agreement.pdf", b"\x89PNG\r\n\x1a\n....", "misnamed"),
        ("scan.png", b"%PDF-1.7", "misnamed"),
        ("agreement", b"%PDF-1.7", "misnamed"),
    ],
)
def test_content_decides_and_must_match_the_name(name: str, content: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        UploadCheck()(SimpleUploadedFile(name, content))
    assert raised.value.code == code


def test_size_is_checked_first() -> None:
    with pytest.raises(ValidationError) as raised:
        UploadCheck(max_bytes=10)(SimpleUploadedFile("a.pdf", b"%PDF-1.7" + b"x" * 100))
    assert raised.value.code == "too_large"
    assert "at most 10" in str(raised.value)


def test_only_the_allowed_types_pass() -> None:
    with pytest.raises(ValidationError):
        UploadCheck(allowed=("pdf",))(SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n"))
    with pytest.raises(ValueError, match="unknown file types"):
        UploadCheck(allowed=("exe",))


def test_markdown_filter_renders_safe_html() -> None:
    html = Template("{% load partnernet_text %}{{ text|markdown }}").render(
        Context({"text": "Hello **you** <script>alert(1)</script>"})
    )
    assert "<strong>you</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
