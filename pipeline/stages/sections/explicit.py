"""Explicit sections: heading levels from the source or by style, and runs of headings that are body text.
"""
from __future__ import annotations

from pipeline.contract.records import Block
from pipeline.text.styles import heading_style


def heading_style_of(block: Block, from_source: bool) -> tuple[str, int | None]:
    """(style, source level) of a heading block."""
    return heading_style(block.text, block.level, from_source)


def heading_levels(headings: list[Block], from_source: bool) -> list[int]:
    """Nesting level (1 = top) of each heading, from source levels or by style (see module docstring)."""
    styles = [heading_style_of(h, from_source) for h in headings]
    src = [lv for s, lv in styles if s == "source"]
    top = min(src) if src else 1
    stack: list[tuple[str, int]] = []   # (style key, level), outermost first
    out = []
    for style, lv in styles:
        if style == "source":
            level = lv - top + 1
            key = f"h{lv}"
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
