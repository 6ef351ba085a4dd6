"""The folded form that matching runs on, and tone-mark placement.

`fold` gives a same-length lowercase, diacritic-free copy so that cue words match regardless of case,
tone-mark placement (hoà/hòa), decomposed input, or text typed without diacritics, while offsets found
in the folded copy are valid in the original. `match_form` is one form per text that some patterns run on: a
text that carries Vietnamese diacritics is matched with its diacritics (so "nhãn hàng", a brand, is not "nhận
hàng", receiving goods), lower-cased with one canonical tone placement; a text typed without them is
matched on its folded form. `written_form` is the text lower-cased as written (marks kept, one tone
placement), which `pipeline.text.phrases.PhraseSet` checks a folded match's marked letters against, span by
span (a half-marked text is matched word by word). All forms keep the text's length.
"""
from __future__ import annotations

import functools
import re
import unicodedata


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
    if low in "đð":
        base = "d"
    return base if len(base) == 1 else low


# Latin, Latin Extended and Latin Extended Additional (all Vietnamese letters) folded once at import.
_FOLD_TABLE = {cp: _fold_char(chr(cp)) for r in ((0x41, 0x250), (0x1E00, 0x1F00)) for cp in range(*r)}
_FOLD_TABLE.update({0x2013: "-", 0x2014: "-", 0x2212: "-", 0xFF5E: "~"})  # dashes fold to '-'
# The same table as a list indexed by code point (every character up to the last dash; past its end a
# character stays as it is, and the fullwidth tilde is replaced after): `str.translate` reads a list about
# twice as fast as a dict.
_FOLD_LIST = [_FOLD_TABLE.get(cp, chr(cp)) for cp in range(0x2213)]


def fold_reference(text: str) -> str:
    """`fold` by the table itself (tests check that `fold` equals it)."""
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Lowercase, strip diacritics, đ→d; same length as `text` so offsets carry over."""
    if text.isascii():   # ASCII folds to its lower case
        return text.lower()
    out = text.translate(_FOLD_LIST)
    return out.replace("\uff5e", "~") if "\uff5e" in out else out


VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u0300-\u0303\u0309\u0323\u1ea0-\u1ef9àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵÀÁÈÉÌÍÒÓÙÚÝ]")
# Tone placement in oa/oe/uy varies (hòa/hoà, thủy/thuỷ): both are mapped to one canonical form, the mark on
# the second vowel. Same length, so offsets hold.
_TONE = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OLD_STYLE = re.compile("([oO])([\u0300\u0301\u0303\u0309\u0323])([aAeE])|([uU])([\u0300\u0301\u0303\u0309\u0323])([yY])")


# Only texts holding an o/u + a/e/y pair with a tone mark on either vowel can differ in placement.
_PLACEMENT = re.compile("""
    [òóỏõọ][aeă]     # tone on the o of oa/oe
  | o[àáảãạèéẻẽẹ]    # tone on the a/e of oa/oe
  | [ùúủũụ]y         # tone on the u of uy
  | u[ỳýỷỹỵ]         # tone on the y of uy
""", re.VERBOSE)


def retone(lowered: str) -> str:
    if not _PLACEMENT.search(lowered):
        return lowered
    nfd = unicodedata.normalize("NFD", lowered)
    fixed = _OLD_STYLE.sub(lambda m: (m.group(1) + m.group(3) + m.group(2)) if m.group(1)
                           else (m.group(4) + m.group(6) + m.group(5)), nfd)
    out = unicodedata.normalize("NFC", fixed)
    return out if len(out) == len(lowered) else lowered


def written_form(text: str) -> str:
    """`text` lower-cased with one canonical tone placement, its marks kept: the form as written that a
    phrase's marked letters are compared with (`pipeline.text.phrases.PhraseSet`). Same length as `text`
    (a character whose lower case is longer, such as "İ", stays as it is), so offsets carry over.

    >>> written_form("Hòa Bình ĐỔI trả")
    'hoà bình đổi trả'
    >>> len(written_form("İstanbul")) == len("İstanbul")
    True
    """
    if text.isascii():
        return text.lower()
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return retone(low)


@functools.lru_cache(maxsize=8192)
def forms(text: str) -> tuple[str, str | None]:
    """(folded form, the form as written or None when the text writes no marked letter), as `PhraseSet`
    matches them: both the text's length. Cached: the stages ask for the same blocks' forms.

    >>> forms("Đổi tra"), forms("Doi TRA")
    (('doi tra', 'đổi tra'), ('doi tra', None))
    """
    if text.isascii():
        return text.lower(), None
    folded, written = fold(text), written_form(text)
    return folded, (None if written == folded else written)


@functools.lru_cache(maxsize=8192)
def match_form(text: str) -> tuple[str, bool]:
    """(form to match on, folded?): lowercase with normalized tone placement, or folded when no diacritics.
    Cached: every stage asks for the same blocks' forms. `match_form_reference`, read off the cached `forms`
    (which the phrase scan made of the block first): a text with Vietnamese letters is matched as written
    (its written form is its lower case with one tone placement) unless lower-casing makes it longer (only
    "İ" does: tests walk every code point); any other is matched folded. So a block is folded once."""
    if text.isascii():   # no Vietnamese letter: folded, which for ASCII is lower case
        return text.lower(), True
    folded, written = forms(text)
    if "\u0130" not in text and VI_LETTERS.search(text):
        return (folded if written is None else written), False
    return folded, True


def match_form_reference(text: str) -> tuple[str, bool]:
    """match_form computed on its own."""
    if text.isascii():   # no Vietnamese letter: folded, which for ASCII is lower case
        return text.lower(), True
    if VI_LETTERS.search(text):
        low = text.lower()
        if len(low) != len(text):
            return fold(text), True
        return retone(low), False
    return fold(text), True
