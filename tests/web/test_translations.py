"""The shipped catalogs are complete and correct, and pages really render in French, Spanish and Arabic.

The catalogs are read with a small parser of the .po format here rather than a library, so the check needs
neither gettext nor an extra package and runs wherever the tests run.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils.translation import to_locale

import partnernet
from partnernet.directory.rules import FACILITATORS
from partnernet.support.services import create_request
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory, ptype, region

LOCALE = Path(partnernet.__file__).parent / "locale"
LANGUAGES = [to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
"""Every UI language but English, as its catalog folder is named (``pt-br`` → ``pt_BR``)."""
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0 +\-]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda escape: ESCAPES.get(escape[1], escape[1]), text.strip()[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Every live entry of a .po file, header first; obsolete ``#~`` entries are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            if entry is not None and target is None:
                entry = None  # the comments belonged to an obsolete entry
            continue
        if not line:
            continue
        if (
            entry is not None
            and target is not None
            and target[0] == "msgstr"
            and not line.startswith(('"', "msgstr["))
        ):
            entries.append(entry)
            entry, target = None, None
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            assert target is not None, f"line {number}: text outside an entry"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, 0)
        else:
            raise AssertionError(f"line {number}: cannot read {raw!r}")
    if entry is not None and entry.msgstr:
        entries.append(entry)
    return entries


def catalog(language: str) -> list[Entry]:
    return parse_po((LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))


def plural_count(entries: list[Entry]) -> int:
    header = entries[0].msgstr[0]
    found = re.search(r"nplurals\s*=\s*(\d+)", header)
    assert found, "the header names no Plural-Forms"
    return int(found[1])


def placeholders(text: str, entry: Entry) -> list[str]:
    """The format placeholders of ``text`` as the code fills them: named ``%(name)s`` always, unnamed ``%s``
    and ``{name}`` where xgettext flagged the string as that format (elsewhere "50 %" is just text)."""
    found = [f"%({name})" for name, kind in PERCENT.findall(text) if name and kind != "%"]
    if "python-format" in entry.flags:
        found += [f"%{kind}" for name, kind in PERCENT.findall(text) if not name and kind != "%"]
    if "python-brace-format" in entry.flags:
        found += [f"{{{name}}}" for name in BRACE.findall(text)]
    return sorted(found)


def test_the_parser_reads_contexts_plurals_and_continued_lines() -> None:
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "scope"\nmsgid "Read"\nmsgstr "Lecture"\n\n'
        'msgid "%(n)s gap"\nmsgid_plural ""\n"%(n)s gaps"\nmsgstr[0] "%(n)s lacune"\nmsgstr[1] ""\n\n'
        '#, fuzzy\n#~ msgid "gone"\n#~ msgstr "parti"\n\nmsgid "Next"\nmsgstr "Suivant"\n'
    )
    assert [entry.msgid for entry in entries] == ["", "Read", "%(n)s gap", "Next"]
    assert plural_count(entries) == 2
    assert entries[1].msgctxt == "scope"
    assert entries[1].flags == {"fuzzy", "python-format"}
    assert entries[2].msgid_plural == "%(n)s gaps"
    assert entries[2].msgstr == {0: "%(n)s lacune", 1: ""}
    assert entries[2].flags == entries[3].flags == set()


def test_placeholders_are_named_ones_and_flagged_unnamed_ones() -> None:
    assert placeholders("%(name)s à 50 %", Entry()) == ["%(name)"]
    assert placeholders("%(name)s %s, 100%% {count}", Entry(flags={"python-format"})) == ["%(name)", "%s"]
    assert placeholders("{count} of {total}", Entry(flags={"python-brace-format"})) == ["{count}", "{total}"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    entries = catalog(language)
    forms = plural_count(entries)
    problems: list[str] = []
    for entry in entries[1:]:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label} is fuzzy")
        expected_forms = forms if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(expected_forms)):
            problems.append(f"{entry.label} has forms {sorted(entry.msgstr)}, not {expected_forms}")
        for index, text in entry.msgstr.items():
            if not text.strip():
                problems.append(f"{entry.label} form {index} is untranslated")
                continue
            found = placeholders(text, entry)
            if entry.msgid_plural is None:
                if found != placeholders(entry.msgid, entry):
                    problems.append(f"{entry.label}: placeholders {found} differ from the original")
                continue
            # A form for one thing may leave out the count ("two entities"), but it may not invent or drop
            # anything else: what both English forms share must be there, nothing they lack may be.
            singular, plural = placeholders(entry.msgid, entry), placeholders(entry.msgid_plural, entry)
            shared = set(singular) & set(plural)
            if not shared <= set(found) <= set(singular) | set(plural):
                problems.append(f"{entry.label} form {index}: placeholders {found} differ from the original")
    assert not problems, "\n".join(problems)


def test_every_configured_language_has_a_catalog_with_every_message() -> None:
    """Adding a language to ``settings.LANGUAGES`` without its complete catalog fails here (README: "Adding a
    language"): each catalog holds exactly the messages of the others, the sentences stored for later
    reading among them."""
    from partnernet.i18n.sentences import MESSAGES

    assert set(LANGUAGES) >= {"fr", "es", "ar", "de", "pt_BR"}
    keys = {}
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists(), f"no catalog for {language}"
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists(), f"{language} is not compiled"
        keys[language] = {(entry.msgctxt, entry.msgid) for entry in catalog(language)[1:]}
    reference = keys["fr"]
    for language, found in keys.items():
        missing, extra = sorted(reference - found, key=str)[:5], sorted(found - reference, key=str)[:5]
        assert found == reference, f"{language}: missing {missing}, extra {extra}"
    for key, text in MESSAGES.items():
        args, kwargs = getattr(text, "_args", ()), getattr(text, "_kw", {})
        msgid = kwargs.get("singular") or (args[-1] if args else None)
        context = args[0] if len(args) == 2 else kwargs.get("context")
        assert (context, msgid) in reference, f"stored sentence {key} is in no catalog"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_the_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in catalog(language)[1:]:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        for index, text in entry.msgstr.items():
            compiled_text = compiled.get((key, index) if entry.msgid_plural is not None else key)
            if compiled_text != text:
                stale.append(entry.label)
    assert not stale, "run compilemessages: the .mo file is older than the .po file:\n" + "\n".join(stale)


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fr", "Registre des partenariats"),
        ("es", "Registro de alianzas"),
        ("ar", "سجل الشراكات"),
        ("de", "Partnerschaftsregister"),
        ("pt-br", "Registro de parcerias"),
    ],
)
@pytest.mark.django_db
def test_registry_is_translated(client: Client, language: str, heading: str) -> None:
    body = client.get(
        reverse("partnerships:registry"), headers={"accept-language": language}
    ).content.decode()
    assert heading in body
    assert (f'<html lang="{language}" dir="rtl">' in body) == (language == "ar")


@pytest.mark.django_db
def test_switching_language_keeps_the_page(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/matrix/"})
    assert response.status_code == 302
    assert response["Location"] == "/matrix/"
    assert 'dir="rtl"' in client.get("/matrix/").content.decode()


class _VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script and style, plus title, alt and aria-label values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in ("title", "alt", "aria-label") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def english_left_over(html: str) -> list[str]:
    """English sentences of the catalog that a page shows untranslated (a string gettext never saw)."""
    reader = _VisibleText()
    reader.feed(html)
    text = " ".join(" ".join(reader.parts).split())
    sentences = {
        " ".join(entry.msgid.split())
        for entry in catalog("ar")[1:]
        if len(entry.msgid.split()) >= 3 and "%" not in entry.msgid and "<" not in entry.msgid
    }
    return sorted(sentence for sentence in sentences if sentence in text)


@pytest.fixture
def arabic(client: Client) -> Client:
    client.cookies["partnernet_language"] = "ar"
    return client


def _rtl_page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert not english_left_over(body)
    return body


@pytest.mark.django_db
def test_steward_inbox_renders_in_arabic_right_to_left(arabic: Client) -> None:
    steward = StewardshipFactory(region=region("154"), languages=["sv"]).entity
    steward_member = MembershipFactory(entity=steward).user
    asker = MembershipFactory(entity=EntityFactory(kind="individual")).user
    requester = asker.memberships.get().entity
    create_request(asker, requester=requester, type=ptype("glam"), region=region("SE"), need="co_signing")
    arabic.force_login(steward_member)
    body = _rtl_page(arabic, reverse("support:inbox"))
    assert "صندوق وارد الراعي" in body
    assert "عروض تنتظر ردك" in body
    assert "التوقيع المشترك على اتفاقية" in body  # the need of the offered request, a model choice


@pytest.mark.django_db
def test_analytics_dashboard_renders_in_arabic_right_to_left(arabic: Client) -> None:
    StewardshipFactory(type=ptype("glam"), region=region("SE"))
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS)[0])
    arabic.force_login(facilitator)
    body = _rtl_page(arabic, reverse("analytics:dashboard"))
    assert "هل الشبكة موزّعة؟" in body
    assert "تغطية أنواع الشراكات حسب المنطقة" in body
    assert "استدامة العُقد الراعية" in body
    english = Client()
    english.force_login(facilitator)
    # The same page in English shows those sentences, so the check above can see English when it is there.
    assert "Is the network distributed?" in english_left_over(
        english.get(reverse("analytics:dashboard")).content.decode()
    )


@pytest.mark.django_db
def test_account_pages_render_in_arabic_right_to_left(arabic: Client) -> None:
    arabic.force_login(UserFactory())
    tokens = _rtl_page(arabic, reverse("account_tokens"))
    assert "رموزك المميزة" in tokens
    assert "قراءة وكتابة" in tokens  # a scope choice, translated with its context
    data = _rtl_page(arabic, reverse("account_data"))
    assert "تنزيل بياناتك" in data
    assert "حذف حسابك" in data
