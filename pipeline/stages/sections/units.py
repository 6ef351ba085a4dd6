"""Units of inference: paragraphs, and whole enumerations (bullets, rows, 'key: value' lines).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.contract.records import Block
from pipeline.text.words import count_words

from .lexicon import KEY_VALUE


@dataclass(slots=True)
class Unit:
    first: int                # index of its first block
    last: int                 # index of its last block (inclusive)
    kind: str                 # paragraph | list
    texts: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def _is_item_line(b: Block) -> bool:
    """A short 'key: value' line ("Trọng lượng: 25kg", "Material: cotton"): a list item typed without a bullet."""
    if ":" not in b.text and "：" not in b.text:    # KEY_VALUE needs one: two finds instead of its backtracking
        return False
    m = KEY_VALUE.match(b.text)
    return m is not None and len(m.group(1).split()) <= 5 and count_words(b.text) <= 25


def units_of(blocks: list[Block], text: str | None = None) -> list[Unit]:
    """Paragraphs, and enumerations as one unit each: runs of bullet or row blocks, and runs of two or more
    short 'key: value' lines. Pieces of one line (when `text` is given) stay together."""
    kinds = ["list" if b.kind in ("bullet", "row") else "paragraph" for b in blocks]
    items = [b.kind in ("bullet", "row") or _is_item_line(b) for b in blocks]
    for i, b in enumerate(blocks):
        if kinds[i] == "paragraph" and items[i] and (
                (i > 0 and items[i - 1] and blocks[i - 1].kind == b.kind)
                or (i + 1 < len(blocks) and items[i + 1] and blocks[i + 1].kind == b.kind)):
            kinds[i] = "kv"
    units: list[Unit] = []
    for i, b in enumerate(blocks):
        wc = count_words(b.text)
        if units:
            u, prev = units[-1], blocks[i - 1]
            same_line = text is not None and prev.char_end <= b.char_start \
                and "\n" not in text[prev.char_end:b.char_start]
            same_list = kinds[i] != "paragraph" and kinds[i - 1] == kinds[i] and prev.kind == b.kind
            if same_line or same_list:
                u.last = i
                u.texts.append(b.text)
                u.words += wc
                continue
        units.append(Unit(i, i, "paragraph" if kinds[i] == "paragraph" else "list", [b.text], wc))
    return units
