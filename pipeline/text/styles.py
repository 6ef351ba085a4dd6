"""Heading and bullet styles: how a line looks (Markdown '#', numbered "1." / "1.1", Roman "II.", steps
"Bước 2", ALL-CAPS, Title Case, bullet glyphs), read by segment (is it a heading or a bullet?) and by
sections (which headings nest under which).
"""
from __future__ import annotations

import re

CAPS_MIN_LETTERS = 3          # ALL-CAPS needs this many letters...
CAPS_SHARE = 0.8              # ...and this share of them upper case
CAPS_STYLE_SHARE = 0.5        # a document with at least this share of its lines (blocks) in capitals is written
                              # in capitals (a seller's habit, or a listing upper-cased): there case marks nothing
TITLE_CASE_MIN_WORDS = 2      # Title Case needs this many words starting with a letter...
TITLE_CASE_SHARE = 0.75       # ...and this share of them capitalised

BULLET = re.compile(r"""
    ^(?:
        [-*+•●○◦▪▫■□►▸▶➤➢→⇒✓✔✅☑❖◆◇★☆♦✿❀❥♥❤✨🔸🔹🔶🔷👉⭐💥🌟✪➜➔»]   # a bullet glyph, arrow, check mark or emoji
      | \d{1,2}[.)](?!\d)    # 1. 2)  (not 1.5)
      | [a-z][.)]\s           # a) b.
      | \d{1,3}\ ?[x×]\s+(?=[^\W\d_])   # 1 x Ốp điện thoại, 2x Búp bê (a package's item; not 10 x 12 cm)
    )\s*
""", re.VERBOSE)
# An icon before a line's words ("✅ ", "👉 ", "⭐️ "): arrows, dingbats and emoji (not the geometric shapes
# "■ ● ▪" nor "•", plain list marks), with an emoji's variation selector or joiner. Sellers put it before
# headings and items alike, so the words after it say which the line is.
ICON_LEAD = re.compile(r"^(?:[\u2190-\u24ff\u2600-\u2bff\U0001f000-\U0001faff][\ufe0f\u200d]*)+\s+")
MD_HEADING = re.compile(r"^(#{1,6})\s+\S")      # '## Title'
MD_HEADING_MARK = re.compile(r"^(#{1,6})\s+")    # the '## ' of a heading, to strip or to read the level
NUMBERED_HEADING = re.compile(r"""
    ^(?:
        (\d{1,2}(?:\.\d{1,2})*)[.)]?                              # 1  1.  2)  1.2
      | [IVX]{1,4}\.                                               # II.
      | (?:bước|phần|chương|step|part)\s+\d{1,2}\s*[:.]?             # Bước 2:  Part 3.
    )\s+\S
""", re.VERBOSE | re.IGNORECASE)


def is_numbered_heading(line: str, any_case: bool = False) -> bool:
    """Numbered as a heading is ("1. Giới thiệu", "1.2 Phạm vi", "II. Đổi trả", "Bước 2: Đóng gói", "2 Giao hàng");
    a bare number before a word in lower case is a quantity, not a numbering (unless `any_case`: the case of a
    line of a document in capitals, read in lower case, tells nothing).

    >>> is_numbered_heading("1. giới thiệu"), is_numbered_heading("2 Giao hàng"), is_numbered_heading("1 kg ốc len")
    (True, True, False)
    >>> is_numbered_heading("1 x Ốp điện thoại"), is_numbered_heading("Bước 2: đóng gói")
    (False, True)
    """
    m = NUMBERED_HEADING.match(line)
    if m is None:
        return False
    bare = m.group(1) is not None and "." not in m.group(1) and line[m.end(1):m.end(1) + 1] not in ".)"
    return not bare or any_case or line[m.end() - 1].isupper()


NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)[.)]?\s")    # numbering and its depth: "1." / "1.2"
ROMAN = re.compile(r"^[IVXLC]{1,5}[.)]\s")
STEP = re.compile(r"""
    ^(?:bước|phần|chương|mục            # Vietnamese: step, part, chapter, item
       |step|part|chapter)\s+\d         # English
""", re.VERBOSE | re.IGNORECASE)
# A list marker before an item's first word: glyphs, "1." / "2)", Roman "IV.".
BULLET_LEAD = re.compile(r"""
    ^(?:
        [^\w\s]{1,3}          # one to three glyphs
      | \d{1,2}[.)]           # 1. 2)
      | [IVXLC]{1,4}[.)]       # IV.
    )\s*(?=\w)
""", re.VERBOSE)
# A list marker alone ("1." "a)" "IV."), which opens an item rather than a sentence.
MARKER_ONLY = re.compile(r"""
    (?:
        \d{1,2}(?:\.\d{1,2})*   # 1.  1.2.
      | [IVXLC]{1,5}            # IV.
      | [A-Za-z]                # a)
    )[.)]$
""", re.VERBOSE)


_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())   # is_caps's delete tables
_ASCII_CAPITALS = bytes(c for c in range(128) if chr(c).isupper())


def is_caps(text: str) -> bool:
    """ALL-CAPS: enough letters, nearly all upper case (`is_caps_reference`, its letters taken and counted by C
    iterators; a text whose letters after the first hold too many that are not upper case to reach CAPS_SHARE is
    told by one `islower` of them, which sentence-case text always is).

    >>> is_caps("CHÍNH SÁCH ĐỔI TRẢ"), is_caps("Chính sách"), is_caps("OK")
    (True, False, False)
    """
    if text.isascii():   # its letters and capitals taken out by bytes.translate, with no call per character
        letters = text.encode().translate(None, _ASCII_NOT_LETTERS)
        n = len(letters)
        return n >= CAPS_MIN_LETTERS and (n - len(letters.translate(None, _ASCII_CAPITALS))) / n >= CAPS_SHARE
    letters = "".join(filter(str.isalpha, text))
    n = len(letters)
    if n < CAPS_MIN_LETTERS:
        return False
    # k letters that are not upper case leave at most n - k that are: too few when (n - k) / n < CAPS_SHARE.
    # `islower` is True only when no letter of them is upper (or title) case.
    k = int(n * (1 - CAPS_SHARE)) + 1
    if (n - k) / n < CAPS_SHARE and letters[1:k + 1].islower():
        return False
    return sum(map(str.isupper, letters)) / n >= CAPS_SHARE


def written_in_capitals(texts: list[str]) -> bool:
    """At least CAPS_STYLE_SHARE of the texts (of two or more) are ALL-CAPS: the document is written in capitals,
    so its capitals mark no heading.

    >>> written_in_capitals(["ĐỔI TRẢ", "ĐỔI TRẢ TRONG 7 NGÀY", "Liên hệ"]), written_in_capitals(["ĐỔI TRẢ", "Giao hàng 2-3 ngày"])
    (True, True)
    """
    # Only whether the share is reached counts, so the texts are read shortest first (the cheapest, and headings
    # when any line is in capitals) and reading stops once the answer is settled: a document with no line in
    # capitals is told after about half of its lines, its short ones (issue 16: a third of the time on the
    # bench's lines). `written_in_capitals_reference` reads them all.
    size = len(texts)
    if size < 2:
        return False
    need = CAPS_STYLE_SHARE * size
    caps, left = 0, size
    for text in sorted(texts, key=len):
        left -= 1
        if is_caps(text):
            caps += 1
            if caps >= need:
                return True
        elif caps + left < need:
            return False
    return False


def written_in_capitals_reference(texts: list[str]) -> bool:
    """`written_in_capitals` with every text read."""
    return capitals_share_reached(list(map(is_caps, texts)))


def capitals_share_reached(caps: list[bool]) -> bool:
    """`written_in_capitals` of texts whose ALL-CAPS flags are `caps` (the zones stage reads them its own way)."""
    return len(caps) >= 2 and sum(caps) >= CAPS_STYLE_SHARE * len(caps)


def is_caps_reference(text: str) -> bool:
    """`is_caps` letter by letter (tests compare the two)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= CAPS_MIN_LETTERS and sum(c.isupper() for c in letters) / len(letters) >= CAPS_SHARE


def is_title_case(words: list[str]) -> bool:
    """Most words that start with a letter start with a capital.

    >>> is_title_case("Hướng Dẫn Sử Dụng".split()), is_title_case("Hướng dẫn sử dụng".split())
    (True, False)
    """
    alpha = [w for w in words if w[:1].isalpha()]
    return len(alpha) >= TITLE_CASE_MIN_WORDS and sum(w[0].isupper() for w in alpha) / len(alpha) >= TITLE_CASE_SHARE


def heading_style(text: str, level: int | None, from_source: bool) -> tuple[str, int | None]:
    """(style, source level) of a heading: 'source' (Markdown '#', or h1-h6 when `from_source`), 'num<depth>',
    'roman', 'step', 'caps' or 'plain'.

    >>> heading_style("1.2 Chất liệu", None, False), heading_style("## Giới thiệu", None, False)
    (('num1', None), ('source', 2))
    """
    text = text.strip()
    m = MD_HEADING_MARK.match(text)
    if m:
        return "source", len(m.group(1))
    if from_source and level:
        return "source", level
    if m := NUMBERED.match(text):
        return f"num{m.group(1).count('.')}", None
    if ROMAN.match(text):
        return "roman", None
    if STEP.match(text):
        return "step", None
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= CAPS_SHARE * len(letters):
        return "caps", None
    return "plain", None


def heading_text(text: str) -> str:
    """A heading's words: Markdown marks, emphasis and the closing colon removed.

    >>> heading_text("## **Thông số:**")
    'Thông số'
    """
    return MD_HEADING_MARK.sub("", text).strip().strip("*_").strip().rstrip(":：").strip()
