"""Search-box text becomes terms that SQLite's FTS5 always accepts and that mean what was typed."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.search import MAX_TERMS, Term, parse_text_query

TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"


@pytest.fixture(scope="module")
def index() -> sqlite3.Connection:
    """A tiny FTS5 index configured like the registry's (SQLite ships FTS5 in Python's standard library)."""
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE doc USING fts5(text, tokenize="{TOKENIZER}")')
    db.executemany(
        "INSERT INTO doc(rowid, text) VALUES (?, ?)",
        [
            (1, "Natural history museum scans"),
            (2, "History of the natural sciences, with a museum"),
            (3, "Musée d'Orsay: open data"),
            (4, "हिन्दी विकिपीडिया workshop"),
            (5, "Museums of Ghana"),
        ],
    )
    return db


def _found(db: sqlite3.Connection, text: str) -> set[int]:
    query = parse_text_query(text)
    if not query:
        return {row[0] for row in db.execute("SELECT rowid FROM doc")}
    return {row[0] for row in db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", [query.fts5()])}


def test_words_are_all_required_in_any_order(index: sqlite3.Connection) -> None:
    assert _found(index, "museum natural") == {1, 2}
    assert _found(index, "MUSEUM history scans") == {1}


def test_quotes_make_a_phrase(index: sqlite3.Connection) -> None:
    assert _found(index, '"natural history"') == {1}
    assert _found(index, "“natural history”") == {1}


def test_diacritics_and_scripts_with_combining_marks(index: sqlite3.Connection) -> None:
    assert _found(index, "musee") == {3}
    assert _found(index, "Orsay") == {3}
    assert _found(index, "हिन्दी") == {4}


def test_a_star_after_a_long_enough_word_matches_beginnings(index: sqlite3.Connection) -> None:
    assert _found(index, "museum*") == {1, 2, 5}
    assert parse_text_query("mu*").terms == (Term(("mu",)),)


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', 'museum "natural', "NEAR(museum natural)", "museum AND OR NOT", "-museum", "title:museum",
     "museum^", "(museum", "*", "'", "\\", "museum)\"", "a:b:c", "\x00museum"],
)  # fmt: skip
def test_engine_syntax_is_read_as_plain_words(index: sqlite3.Connection, text: str) -> None:
    assert isinstance(_found(index, text), set)


def test_operators_and_unclosed_quotes_become_plain_words() -> None:
    assert parse_text_query('museum OR "natural history').terms == (
        Term(("museum",)),
        Term(("or",)),
        Term(("natural",)),
        Term(("history",)),
    )
    assert parse_text_query("NEAR(a b)").terms == (Term(("near",)), Term(("a",)), Term(("b",)))


def test_text_without_words_gives_no_query() -> None:
    assert not parse_text_query('  ** "" \' - ')
    assert not parse_text_query("")
    assert not parse_text_query("\u0301 \u0301*")


def test_repeated_terms_count_once_and_the_number_of_terms_is_bounded() -> None:
    assert parse_text_query("museum Museum MUSEUM").terms == (Term(("museum",)),)
    assert len(parse_text_query(" ".join(f"w{n}" for n in range(50))).terms) == MAX_TERMS


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.text(alphabet=list('"“”*()-+:^{}ab \u0301NEARORT'), max_size=40)))
def test_any_text_gives_a_query_fts5_accepts(text: str) -> None:
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE doc USING fts5(text, tokenize="{TOKENIZER}")')
    db.execute("INSERT INTO doc(text) VALUES ('something')")
    query = parse_text_query(text)
    if query:
        db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", [query.fts5()]).fetchall()
