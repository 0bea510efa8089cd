"""User-written Markdown becomes harmless HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.markdown import ALLOWED_TAGS, render_markdown


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The real elements of ``html`` (escaped text is text, not elements)."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_markdown_is_rendered() -> None:
    html = render_markdown("# Plan\n\n**Bold** and *soft*, see [site](https://example.org).\n\n- one\n- two")
    assert "<h3>Plan</h3>" in html
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_scripts_handlers_and_dangerous_links_do_not_survive(attack: str) -> None:
    elements = _elements(render_markdown(attack))
    assert {tag for tag, _ in elements} <= ALLOWED_TAGS
    for _, attributes in elements:
        assert not any(name.startswith("on") or name == "style" for name in attributes)
        href = attributes.get("href") or ""
        assert not href or href.startswith(("http:", "https:", "mailto:"))


@given(st.text(max_size=300))
def test_any_text_renders_to_allowed_tags_only(text: str) -> None:
    assert {tag for tag, _ in _elements(render_markdown(text))} <= ALLOWED_TAGS


def test_empty_text_is_empty() -> None:
    assert render_markdown("") == ""
