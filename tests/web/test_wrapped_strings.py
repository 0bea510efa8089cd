"""Every word a template shows a reader goes through gettext, so no page is left half in English; and no
Python module translates at import time, when no reader's language is active yet.

The check reads the templates themselves (not rendered pages), so it covers branches that no test renders:
text outside ``{% translate %}`` and ``{% blocktranslate %}`` is collected after markup and template tags are
taken out, and any word left over fails, unless it is a name that stays the same in every language or
sits in ``<code>`` (a token prefix, a command: typed as shown, whatever the language).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.template.base import Lexer, TokenType

import partnernet

PACKAGE = Path(partnernet.__file__).parent
# Names that read the same in every language the project ships: the product, file formats, time zone.
UNTRANSLATED_NAMES = {"Partnernet", "CSV", "JSON", "Lines", "UTC", "PDF", "API"}
READER_ATTRIBUTES = re.compile(r"""\b(title|placeholder|aria-label|alt)\s*=\s*(["'])(.*?)\2""", re.S)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")
HOLE = "\x00"  # where a template tag or variable stood: its text comes from elsewhere


def shown_text(source: str) -> str:
    """The template with every tag, variable and translated block replaced by a hole; comments dropped."""
    out: list[str] = []
    translating = commenting = False
    for token in Lexer(source).tokenize():
        words = token.split_contents()[0] if token.token_type == TokenType.BLOCK and token.contents else ""
        if token.token_type == TokenType.BLOCK:
            translating = (translating or words in ("blocktranslate", "blocktrans")) and words not in (
                "endblocktranslate",
                "endblocktrans",
            )
            commenting = (commenting or words == "comment") and words != "endcomment"
            out.append(HOLE)
        elif token.token_type == TokenType.VAR:
            out.append(HOLE)
        elif token.token_type == TokenType.TEXT and not (translating or commenting):
            out.append(token.contents)
    return "".join(out)


def untranslated(source: str) -> list[str]:
    text = shown_text(source)
    text = re.sub(r"<(script|style|code)\b.*?</\1>|<!--.*?-->", HOLE, text, flags=re.S | re.I)
    found = [value for _, _, value in READER_ATTRIBUTES.findall(text)]
    found += re.sub(r"<[^>]*>", HOLE, text).split(HOLE)
    return [
        " ".join(part.split())
        for part in found
        if any(word not in UNTRANSLATED_NAMES for word in WORD.findall(part))
    ]


def test_the_check_catches_plain_text_and_reader_attributes() -> None:
    source = (
        '{% load i18n %}<h1 title="Open me">{% translate "Fine" %}</h1>{# note #}'
        "<p>Plain words</p>{% blocktranslate %}Also fine{% endblocktranslate %}"
        '<a href="{% url "x" %}" class="pn-link">CSV</a>{% comment %}Not shown{% endcomment %}'
        "<script>const label = 'code';</script><code>pn_{{ prefix }}</code>"
    )
    assert untranslated(source) == ["Open me", "Plain words"]


def test_every_template_translates_what_it_shows() -> None:
    problems = [
        f"{path.relative_to(PACKAGE)}: {text!r}"
        for path in sorted(PACKAGE.glob("*/templates/**/*.html"))
        for text in untranslated(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "wrap these in {% translate %}:\n" + "\n".join(problems)


EAGER = {"gettext", "pgettext", "ngettext", "npgettext"}


def translated_at_import(source: str) -> list[int]:
    """Lines where a module or class body calls a non-lazy gettext: that text is fixed in the language
    active when the module was imported (English), whatever language the page is later shown in."""
    tree = ast.parse(source)
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in EAGER
    }
    lines: list[int] = []

    def visit(body: list[ast.stmt]) -> None:
        for statement in body:
            if isinstance(statement, ast.ClassDef):
                visit(statement.body)
            elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines.extend(
                    node.lineno
                    for node in ast.walk(statement)
                    if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in names
                )

    visit(tree.body)
    return lines


def test_the_import_time_check_tells_lazy_from_eager() -> None:
    source = (
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "LABEL = _('Eager')\n"
        "class Form:\n    title = gettext_lazy('Lazy')\n    help = _('Eager too')\n"
        "def view():\n    return _('At request time')\n"
    )
    assert translated_at_import(source) == [2, 5]


def test_no_module_translates_at_import_time() -> None:
    problems = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in translated_at_import(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "use gettext_lazy here:\n" + "\n".join(problems)
