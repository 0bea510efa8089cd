"""User-written text: Markdown rendered to HTML, then cleaned with nh3 so only harmless markup is left.

Two layers on purpose: markdown-it escapes any raw HTML in the text and refuses ``javascript:`` links; nh3
then keeps only an allow-list of tags and attributes, so a bug in either one alone does not open a hole.
Headings start at level 3 because a page already has its own h1 and h2.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5",
    "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _shift_headings(html: str) -> str:
    for level in range(6, 0, -1):
        target = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return html


def render_markdown(text: str) -> str:
    """Safe HTML for ``text``; links get ``rel="nofollow noopener noreferrer"``."""
    if not text:
        return ""
    html = _shift_headings(_parser.render(text))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
