"""Phrase lists from the lexicon compiled into matchers that ignore case and tone-mark placement.

A text that carries Vietnamese diacritics is matched with its diacritics (so "nhãn hàng", a brand,
is not "nhận hàng", receiving goods); a text typed without them is matched on its folded form.
Both forms keep the text's length, so match offsets are offsets into the original text.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .normalize import fold

VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u0300-\u0303\u0309\u0323\u1ea0-\u1ef9àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵÀÁÈÉÌÍÒÓÙÚÝ]")
# Tone placement in oa/oe/uy varies (hòa/hoà, thủy/thuỷ): both are mapped to one canonical form, the mark on
# the second vowel. Same length, so offsets hold.
_TONE = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OLD_STYLE = re.compile("([oO])([\u0300\u0301\u0303\u0309\u0323])([aAeE])|([uU])([\u0300\u0301\u0303\u0309\u0323])([yY])")


# Only texts holding an o/u + a/e/y pair with a tone mark on either vowel can differ in placement.
_PLACEMENT = re.compile("[òóỏõọ][aeă]|o[àáảãạèéẻẽẹ]|[ùúủũụ]y|u[ỳýỷỹỵ]")


def _retone(lowered: str) -> str:
    if not _PLACEMENT.search(lowered):
        return lowered
    nfd = unicodedata.normalize("NFD", lowered)
    fixed = _OLD_STYLE.sub(lambda m: (m.group(1) + m.group(3) + m.group(2)) if m.group(1)
                           else (m.group(4) + m.group(6) + m.group(5)), nfd)
    out = unicodedata.normalize("NFC", fixed)
    return out if len(out) == len(lowered) else lowered


@functools.lru_cache(maxsize=8192)
def match_form(text: str) -> tuple[str, bool]:
    """(form to match on, folded?): lowercase with normalized tone placement, or folded when no diacritics.
    Cached: every stage asks for the same blocks' forms."""
    if VI_LETTERS.search(text):
        low = text.lower()
        if len(low) != len(text):
            return fold(text), True
        return _retone(low), False
    return fold(text), True


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=8192)
def _words(form: str) -> frozenset[str]:
    return frozenset(_WORD.findall(form))


class PhraseSet:
    """Whole-word matcher for a list of phrases, in both match forms.

    Most blocks hold none of the phrases: a phrase can only match where every one of its words is a word of
    the block, so set lookups skip the regular expression for them."""

    def __init__(self, phrases: list[str]):
        def pattern(items: set[str]) -> re.Pattern:
            alts = "|".join(re.escape(p) for p in sorted(items, key=len, reverse=True))
            return re.compile(rf"(?<![\w])(?:{alts})(?![\w])")

        self.phrases = phrases
        accented = {_retone(p.lower()) for p in phrases}
        folded = {fold(p) for p in phrases}
        self._accented, self._folded = pattern(accented), pattern(folded)
        self._words_by_first: dict[str, list[frozenset[str]]] = {}
        for p in accented | folded:
            words = _WORD.findall(p)
            if words:
                self._words_by_first.setdefault(words[0], []).append(frozenset(words))
        self._first_words = frozenset(self._words_by_first)
        self._unanchored = any(not _WORD.match(p) for p in accented | folded)

    def _may_match(self, words: frozenset[str]) -> bool:
        return any(phrase <= words for first in self._first_words.intersection(words)
                   for phrase in self._words_by_first[first])

    def finditer(self, text: str):
        form, folded = match_form(text)
        if not self._unanchored and not self._may_match(_words(form)):
            return iter(())
        return (self._folded if folded else self._accented).finditer(form)

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))

    def search(self, text: str):
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> bool:
        key = text.strip(" :.-#*•|").strip()
        m = self.search(key)
        return bool(m) and m.start() == 0 and m.end() == len(key)
