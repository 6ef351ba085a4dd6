"""The kind of one line of plain text (heading, bullet or paragraph), read from its words and the line after it:
how the segmenter types a text's lines, and how the zones read the items of a document that is one list
(zones37: a list's lead-in item heads it as the same plain line would)."""
from __future__ import annotations

from .cues import is_known_heading
from .styles import BULLET, ICON_LEAD, MD_HEADING, NUMBERED_HEADING, is_caps, is_numbered_heading, is_title_case

TERMINAL = ".!?…;,"
SHORT_LINE_WORDS = 12      # a heading is a short line: at most this many words...
SHORT_LINE_CHARS = 90      # ...and characters
COLON_HEADING_WORDS = 8    # a colon-ended line of at most this many words is a heading
LEAD_LINE_WORDS = 8        # a short open line before a long one heads it when the next line is at least
LEAD_NEXT_CHARS = 100      # ...this long and
LEAD_NEXT_RATIO = 3        # ...this many times as long


def line_kind(line: str, next_line: str | None, after_icon: bool = False, lowered: bool = False
              ) -> tuple[str, int | None]:
    """(kind, source level) of a line, with the line after it (None at the end). A line led by an icon ("✅ 1.
    Phạm vi", "👉 ĐỔI TRẢ") is a heading when its words after the icon are marked as one (`after_icon`: numbered,
    in capitals, a known heading or ending with ':'), else a bullet: sellers write their items in Title Case
    and short before a long one too ("✪ Chất Liệu : Gỗ", "➣ Hỗ trợ 15K cho đơn hàng > 299K")."""
    if icon := ICON_LEAD.match(line):
        kind = line_kind(line[icon.end():], next_line, after_icon=True, lowered=lowered)
        return kind if kind[0] == "heading" else ("bullet", None)
    if next_line is not None and (icon := ICON_LEAD.match(next_line)):
        next_line = next_line[icon.end():]   # an item or body text after its icon all the same
    m = MD_HEADING.match(line)
    if m:
        return "heading", len(m.group(1))
    # A long line is never short: only whether it has more than LEAD_LINE_WORDS words counts, which a split
    # that stops after that many tells.
    words = line.split() if len(line) <= SHORT_LINE_CHARS else line.split(None, LEAD_LINE_WORDS)
    short = len(words) <= SHORT_LINE_WORDS and len(line) <= SHORT_LINE_CHARS
    open_end = line.rstrip()[-1:] not in TERMINAL
    # "1. Giới thiệu" / "Bước 2:" / "II." open a section when body text (not another item) follows.
    # (`lowered`: the line of a document in capitals, read in lower case, where no case tells a quantity)
    if short and open_end and is_numbered_heading(line, any_case=lowered) and next_line is not None \
            and not NUMBERED_HEADING.match(next_line) and not BULLET.match(next_line):
        return "heading", None  # numbering depth is a style, not a source level; sections reads it
    if BULLET.match(line):
        return "bullet", None
    if short and (is_known_heading(line) or line.rstrip().endswith(":") and len(words) <= COLON_HEADING_WORDS):
        return "heading", None
    if short and open_end and (is_caps(line) or not after_icon and is_title_case(words)):
        return "heading", None
    if (not after_icon and len(words) <= LEAD_LINE_WORDS and open_end and next_line is not None
            and len(next_line) >= max(LEAD_NEXT_CHARS, LEAD_NEXT_RATIO * len(line)) and not BULLET.match(next_line)):
        return "heading", None
    return "paragraph", None
