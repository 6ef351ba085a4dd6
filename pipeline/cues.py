"""Phrase lists from the lexicon compiled into matchers that ignore case and tone-mark placement.

A text that carries Vietnamese diacritics is matched with its diacritics (so "nhãn hàng", a brand,
is not "nhận hàng", receiving goods); a text typed without them is matched on its folded form.
Both forms keep the text's length, so match offsets are offsets into the original text.
"""
from __future__ import annotations

import re
import unicodedata

from .normalize import fold

VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u0300-\u0303\u0309\u0323\u1ea0-\u1ef9àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵÀÁÈÉÌÍÒÓÙÚÝ]")
# Tone placement in oa/oe/uy varies (hòa/hoà, thủy/thuỷ): both are mapped to one canonical form, the mark on
# the second vowel. Same length, so offsets hold.
_TONE = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OLD_STYLE = re.compile("([oO])([\u0300\u0301\u0303\u0309\u0323])([aAeE])|([uU])([\u0300\u0301\u0303\u0309\u0323])([yY])")


def _retone(lowered: str) -> str:
    nfd = unicodedata.normalize("NFD", lowered)
    if not _TONE.intersection(nfd):
        return lowered
    fixed = _OLD_STYLE.sub(lambda m: (m.group(1) + m.group(3) + m.group(2)) if m.group(1)
                           else (m.group(4) + m.group(6) + m.group(5)), nfd)
    out = unicodedata.normalize("NFC", fixed)
    return out if len(out) == len(lowered) else lowered


def match_form(text: str) -> tuple[str, bool]:
    """(form to match on, folded?): lowercase with normalized tone placement, or folded when no diacritics."""
    if VI_LETTERS.search(text):
        low = text.lower()
        if len(low) != len(text):
            return fold(text), True
        return _retone(low), False
    return fold(text), True


class PhraseSet:
    """Whole-word matcher for a list of phrases, in both match forms."""

    def __init__(self, phrases: list[str]):
        def pattern(items: set[str]) -> re.Pattern:
            alts = "|".join(re.escape(p) for p in sorted(items, key=len, reverse=True))
            return re.compile(rf"(?<![\w])(?:{alts})(?![\w])")

        self.phrases = phrases
        self._accented = pattern({_retone(p.lower()) for p in phrases})
        self._folded = pattern({fold(p) for p in phrases})

    def finditer(self, text: str):
        form, folded = match_form(text)
        return (self._folded if folded else self._accented).finditer(form)

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))

    def search(self, text: str):
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> bool:
        key = text.strip(" :.-#*•|").strip()
        m = self.search(key)
        return bool(m) and m.start() == 0 and m.end() == len(key)
