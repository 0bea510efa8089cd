"""What people type into a search box, turned into terms that no full-text engine can choke on.

Search boxes get anything: unbalanced quotes, ``AND``/``NEAR``/``-``/``:`` and other operators of the engine
behind them, lone punctuation. Passing that text to SQLite's FTS5 ``MATCH`` or PostgreSQL's ``to_tsquery``
raises a syntax error (a 500 for the visitor). So the text is read into a small, fixed grammar and only that
is sent to the database, rebuilt from scratch:

- a *word* is a run of letters, digits and combining marks (Unicode categories L, N, M and private use, the
  characters SQLite's ``unicode61`` tokenizer is configured to keep) with at least one letter or digit;
  everything else separates words;
- text between double quotes (straight or typographic) is a *phrase*: its words must follow each other;
  an opening quote that is never closed is ignored, its words count as plain words;
- a word of at least ``MIN_PREFIX`` characters directly followed by ``*`` also matches longer words that
  start with it;
- every term must match (AND). Operator words (``OR``, ``NOT``, ``NEAR``) are plain words here.

Words are compared without case; the engines fold case and (where they can) diacritics themselves, so the
terms keep their letters as typed, lowercased. Nothing here knows about a language: titles are written in
every language of the movement, so no stemming or stop words (which would suit one language and hurt others).
Scripts written without spaces (Chinese, Japanese, Thai) are not cut into words: a run of such characters
is one word, found only whole.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_TERMS = 12
"""More terms than anyone types on purpose; a bound on the work one query can ask of the index."""
MIN_PREFIX = 3
"""Shorter prefixes would expand to a large part of the vocabulary; they are searched as whole words."""
MAX_WORD = 64
QUOTES = frozenset('"“”„«»')


@dataclass(frozen=True)
class Term:
    """One word, or the words of a phrase in order; ``prefix`` lets a single word match as a beginning."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        """FTS5 syntax: a quoted string (the tokenizer reads several words in it as a phrase)."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class TextQuery:
    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        """The query in FTS5 syntax. Words carry no quote or operator, so the result always parses."""
        return " ".join(term.fts5() for term in self.terms)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM" or unicodedata.category(char) == "Co"


def _words(segment: str) -> list[tuple[str, bool]]:
    """The words of ``segment`` with, for each, whether a ``*`` directly follows it."""
    found: list[tuple[str, bool]] = []
    current: list[str] = []
    for index, char in enumerate(segment + " "):
        if _is_word_char(char):
            current.append(char)
            continue
        if any(unicodedata.category(c)[0] != "M" for c in current):
            found.append(("".join(current)[:MAX_WORD].lower(), char == "*" and index < len(segment)))
        current = []
    return found


def parse_text_query(text: str) -> TextQuery:
    """Read a search box into terms (see the module docstring); text without a word gives no terms."""
    text = unicodedata.normalize("NFC", text or "")
    segments: list[tuple[str, bool]] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char in QUOTES:
            segments.append(("".join(current), quoted))
            current, quoted = [], not quoted
        else:
            current.append(char)
    # Text after the last quote is plain words, also when that quote opened a phrase it never closed.
    segments.append(("".join(current), False))
    terms: list[Term] = []
    for segment, is_phrase in segments:
        words = _words(segment)
        if is_phrase and len(words) > 1:
            terms.append(Term(tuple(word for word, _ in words)))
            continue
        for word, star in words:
            terms.append(Term((word,), prefix=star and len(word) >= MIN_PREFIX))
    unique = list(dict.fromkeys(terms))
    return TextQuery(tuple(unique[:MAX_TERMS]))
