import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import partnernet

LOCALE = Path(partnernet.__file__).parent / "locale"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Registre des partenariats"), ("es", "Registro de alianzas"), ("ar", "سجل الشراكات")],
)
@pytest.mark.django_db
def test_registry_is_translated(client: Client, language: str, heading: str) -> None:
    body = client.get(
        reverse("partnerships:registry"), headers={"accept-language": language}
    ).content.decode()
    assert heading in body
    assert (f'<html lang="{language}" dir="rtl">' in body) == (language == "ar")


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_message_is_translated_and_compiled(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in po.split("\n\n", 1)[1] + "\n\n"
    assert "#, fuzzy" not in po
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # type: ignore[attr-defined]
    escapes = {"n": "\n", "t": "\t"}
    msgids = {
        re.sub(
            r"\\(.)",
            lambda escape: escapes.get(escape[1], escape[1]),
            "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', chunk)),
        )
        for chunk in re.findall(r'^msgid ((?:".*"\n?)+)', po, re.M)
    } - {""}
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in catalog}
    assert msgids <= compiled_ids, "run compilemessages: the .mo file is older than the .po file"


@pytest.mark.django_db
def test_switching_language_keeps_the_page(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/matrix/"})
    assert response.status_code == 302
    assert response["Location"] == "/matrix/"
    assert 'dir="rtl"' in client.get("/matrix/").content.decode()
