"""Explicit sections: which heading blocks head a section, and their nesting levels.

Which headings head a section. A heading block over `heading_max_words` words is a paragraph marked up
as a heading (SEO pages' h2). A bold-only line of HTML (a heading candidate with no h-level) heads a
section only when it reads like a heading: at most `bold_max_words` words, not ending like a sentence
(".", "!", "…", ";": emphasis inside the prose), and not the middle of a sentence (the paragraph before it
ends without a sentence mark and it, or the line after it, goes on in lower case). A
heading-like line of plain text between two items of one list (the blocks before and after it are bullets or table
rows, and it does not end with ':' to introduce what follows) is a line of that list, not a section; HTML
marks its list items itself (a line inside an li is a bullet), so there the rule is the markup's.

Levels. A heading whose source gives a level (h1-h6, Markdown '#') keeps it, shifted so the highest one
present is 1. In HTML the markup is the evidence for nesting: a bold-only line sits one level below the
h-heading before it (level 1 when none precedes it), whatever its typography, so bold "1. ...", bold
ALL-CAPS and plain bold lines after one h2 are siblings. In plain text (no markup) headings nest by
*style*, the way word processors' outline views do it: a style not seen yet nests one level below the
heading it follows; a style seen before goes back to its level (styles: ALL-CAPS, Roman numeral, numbered
with its depth "1." / "1.1", step "Bước 1", plain).
"""
from __future__ import annotations

from pipeline.contract.records import Block
from pipeline.text.styles import heading_style
from pipeline.text.words import count_words

from .lexicon import section_rules

SENTENCE_MARKS = ".!…;"          # a bold line ending with one of these is emphasis, not a heading
CLOSERS = " )\"'”’»*_"           # closing quotes, brackets and emphasis marks after the last mark
LIST_KINDS = ("bullet", "row")


def heading_style_of(block: Block, from_source: bool) -> tuple[str, int | None]:
    """(style, source level) of a heading block."""
    return heading_style(block.text, block.level, from_source)


def _ends_sentence(text: str, marks: str = SENTENCE_MARKS) -> bool:
    return text.rstrip(CLOSERS)[-1:] in marks


def _starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.islower()


def heads_section(desc: list[Block], i: int, from_source: bool) -> bool:
    """Whether the heading block desc[i] heads a section (see the module docstring)."""
    b = desc[i]
    rules = section_rules()
    words = count_words(b.text)
    if words > rules["heading_max_words"]:
        return False
    prev = desc[i - 1] if i > 0 else None
    nxt = desc[i + 1] if i + 1 < len(desc) else None
    style, _ = heading_style_of(b, from_source)
    if not from_source and style != "source" and prev is not None and nxt is not None \
            and prev.kind in LIST_KINDS and nxt.kind in LIST_KINDS and not b.text.rstrip(CLOSERS).endswith((":", "：")):
        return False                                   # a line inside a list (plain text; HTML marks its items)
    if from_source and style != "source":              # a bold-only HTML line
        if words > rules["bold_max_words"] or _ends_sentence(b.text):
            return False
        if prev is not None and prev.kind == "paragraph" and not _ends_sentence(prev.text, SENTENCE_MARKS + "?:：") \
                and (_starts_lower(b.text) or (nxt is not None and nxt.kind == "paragraph" and _starts_lower(nxt.text))):
            return False                               # the middle of a sentence set in bold
    return True


def heading_levels(headings: list[Block], from_source: bool) -> list[int]:
    """Nesting level (1 = top) of each heading, from source levels, HTML markup or style (module docstring)."""
    styles = [heading_style_of(h, from_source) for h in headings]
    src = [lv for s, lv in styles if s == "source"]
    top = min(src) if src else 1
    stack: list[tuple[str, int]] = []   # (style key, level), outermost first
    out = []
    last_source = 0                     # level of the last h-heading (HTML)
    for style, lv in styles:
        if style == "source":
            level = lv - top + 1
            key = f"h{lv}"
            last_source = level
        elif from_source:
            key, level = "bold", last_source + 1
        else:
            key = style
            level = next((l for s, l in stack if s == key), None)
            if level is None:
                level = stack[-1][1] + 1 if stack else 1
        while stack and stack[-1][1] >= level:
            stack.pop()
        stack.append((key, level))
        out.append(level)
    return out
