"""HTML pages and fragments (.html, .htm): flattened to text with one block per line, the blocks' kinds
(headings with their level, bullets, table rows) kept as hints for segmentation."""
from __future__ import annotations

from typing import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import normalize

HEADING_BOLD_CHARS = 80   # a paragraph that is only bold text and at most this long is a heading candidate

_DROP = {"script", "style", "nav", "footer", "noscript", "template", "head", "iframe", "svg", "form", "button"}
_BREAK = {"p", "div", "br", "section", "article", "header", "main", "blockquote", "pre", "ul", "ol", "dl",
          "dt", "dd", "table", "tbody", "thead", "figure", "figcaption", "hr", "body", "html"}


_FLUSH = object()   # marks a stack entry of html_to_text's walk that ends a block


def squash(text: str) -> str:
    """Whitespace runs to one space, ends trimmed; str.split() knows the same whitespace as \\s, and is faster."""
    return " ".join(text.split())


def html_to_text(markup: str) -> tuple[str, list[tuple[int, int, str, int | None]]]:
    """Flatten HTML to text with one block per line, and the blocks' kinds as hints.

    h1-h6 are headings (with their level; a <br> inside one ends the heading there, the lines after it
    are paragraphs), li bullets, table rows one block each (cells joined by ' | '),
    p/div/br break blocks; a paragraph that is only bold text is a heading candidate (level None).
    Text inside an h-tag is bold, but once the h-tag's first line is out, a block-level child (p, div,
    figure, ...; li already starts unbolded) is bold only by its own b/strong: SEO pages wrap whole
    paragraphs, captions and lists in an unclosed or enclosing h2, and those are no heading candidates.
    html.parser never loads external entities or DTDs, so entity expansion is bounded by the input.
    """
    soup = BeautifulSoup(markup, "html.parser")
    pieces: list[tuple[str, str, int | None]] = []
    buf: list[str] = []
    bold_only = [True]

    # Inside h1-h6: [its level, whether its first line is out]. A <br> inside the h-tag ends the heading
    # there (the first line with text is the heading, with the h-level); what follows is a paragraph.
    h_ctx: list = [None, False]

    def flush(kind: str = "paragraph", level: int | None = None) -> None:
        text = squash("".join(buf))
        buf.clear()
        if text:
            if kind == "heading" and h_ctx[0] is not None:
                if h_ctx[1]:
                    kind, level = "paragraph", None
            elif kind == "paragraph" and bold_only[0] and len(text) <= HEADING_BOLD_CHARS:
                kind = "heading"
            if h_ctx[0] is not None:
                h_ctx[1] = True                # any line of the h-tag with text is its first line
            pieces.append((text, kind, level))
        bold_only[0] = True

    # An explicit stack, not recursion: markup nested thousands deep is walked like any other. An entry is a
    # node to visit (with whether it is inside bold text, and whether inside b/strong itself, the h-tags'
    # boldness aside) or a flush to do once a node's children are done.
    stack: list = [(soup, False, False)]
    while stack:
        entry = stack.pop()
        if entry[0] is _FLUSH:                 # (_FLUSH, kind, level)
            flush(entry[1], entry[2])
            if entry[1] == "heading" and entry[2] is not None:
                h_ctx[:] = [None, False]       # the h-tag is done
            continue
        node, in_bold, own_bold = entry
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                continue
            if node.strip() and not in_bold:
                bold_only[0] = False
            buf.append(str(node))
            continue
        name = node.name
        if node is not soup and name in _DROP:
            continue
        own_bold = own_bold or name in ("b", "strong")
        after, child_bold = None, in_bold or own_bold
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            h_ctx[:] = [int(name[1]), False]
            after, child_bold = (_FLUSH, "heading", int(name[1])), True
        elif name == "br" and h_ctx[0] is not None:
            flush("heading", h_ctx[0])         # the h-tag's line so far (its heading, or a paragraph after it)
            continue
        elif name == "li":
            flush()
            after, child_bold = (_FLUSH, "bullet", None), False
        elif name == "tr":
            flush()
            cells = [squash(c.get_text(" ")) for c in node.find_all(["td", "th"])]
            buf.append(" | ".join(c for c in cells if c))
            bold_only[0] = False
            flush("row")
            continue
        elif name in _BREAK:
            flush()
            # decided on visiting, not on pushing: an earlier sibling may have put the h-tag's first line out
            after = (_FLUSH, "paragraph", None)
            child_bold = own_bold if h_ctx[0] is not None and h_ctx[1] else in_bold
        if after is not None:
            stack.append(after)
        stack.extend((child, child_bold, own_bold) for child in reversed(node.contents))
    flush()
    text, hints, pos = [], [], 0
    for piece, kind, level in pieces:
        piece = normalize(piece)
        hints.append((pos, pos + len(piece), kind, level))
        text.append(piece)
        pos += len(piece) + 1
    return "\n".join(text), hints


def read(text: str, rel: str, size: int, fields) -> Iterator[Listing | Reject]:
    from .records import make_listing
    yield make_listing(rel, "html", None, None, text, size, is_html=True)
