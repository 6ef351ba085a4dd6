"""HTML pages and fragments (.html, .htm): flattened to text with one block per line, the blocks' kinds
(headings with their level, bullets, table rows) kept as hints for segmentation."""
from __future__ import annotations

import re
from typing import Iterator

from bs4 import BeautifulSoup, CData, NavigableString
from bs4.builder import HTMLParserTreeBuilder

from pipeline.contract.records import ROW_CELL_SEPARATOR, Listing, Reject
from pipeline.text.normalize import normalize

HEADING_BOLD_CHARS = 80   # a paragraph that is only bold text and at most this long is a heading candidate

_DROP = {"script", "style", "nav", "footer", "noscript", "template", "head", "iframe", "svg", "form", "button"}
_BREAK = {"p", "div", "br", "section", "article", "header", "main", "blockquote", "pre", "ul", "ol", "dl",
          "dt", "dd", "table", "tbody", "thead", "figure", "figcaption", "hr", "body", "html"}


# Tags that end a line. Markup with none of them is plain text with inline emphasis (a scraper's text field that
# kept a shop's "<strong>BẢO HÀNH</strong>" or an <img>): its newlines are its lines, as a browser never saw them.
_LINE_TAG = re.compile(r"""
    <\s*/?\s*(?:
        p|div|br|hr|section|article|blockquote|pre   # blocks and breaks
      | li|ul|ol|dl|dt|dd|h[1-6]                     # lists and headings
      | tr|table                                     # tables
    )\b""", re.VERBOSE | re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n?|\n")


def lines_kept(markup: str) -> str:
    """`markup` with its newlines as <br> when no tag in it ends a line (else as written).

    >>> lines_kept("<strong>BẢO HÀNH</strong>\\n12 tháng"), lines_kept("<p>a\\nb</p>")
    ('<strong>BẢO HÀNH</strong><br>12 tháng', '<p>a\\nb</p>')
    """
    if "\n" not in markup and "\r" not in markup or _LINE_TAG.search(markup):
        return markup
    return _NEWLINE.sub("<br>", markup)


_FLUSH = object()   # marks a stack entry of html_to_text's walk that ends a block


def squash(text: str) -> str:
    """Whitespace runs to one space, ends trimmed; str.split() knows the same whitespace as \\s, and is faster."""
    return " ".join(text.split())


# ------------------------------------------------------------------ the light tree
# BeautifulSoup builds a full tree (every tag with its attributes, links to siblings and parents, a string
# class chosen per string) of which html_to_text reads only tag names, children and the plain strings: about
# half of a page's ingest time (issue 16). `light_tree` feeds the very parser class BeautifulSoup uses with
# html.parser (so the same tags, void elements, entities and character references) into a builder that keeps
# just that, following BeautifulSoup's tree rules (below); `html_to_text_reference` walks BeautifulSoup's own
# tree, and tests check that the two give the same text and hints.
try:
    from bs4.builder._htmlparser import BeautifulSoupHTMLParser as _Parser   # bs4's own html.parser driver
except ImportError:   # a bs4 that moved it: the reference path alone
    _Parser = None

_BUILDER = HTMLParserTreeBuilder()
_VOID = frozenset(_BUILDER.empty_element_tags)             # closed as soon as opened (br, img, hr, ...)
_STRING_CONTAINERS = frozenset(_BUILDER.string_containers)  # script, style, template, rt, rp: their strings
                                                           # are of another class, which html_to_text skips
ROOT = "[document]"


class _CData(str):
    """A CDATA section's text: skipped by the walk, but part of a table cell's text (get_text reads both)."""


class _Node:
    __slots__ = ("name", "contents")

    def __init__(self, name: str):
        self.name, self.contents = name, []


class _Builder:
    """The calls BeautifulSoupHTMLParser makes on its BeautifulSoup object, building `_Node`s. As
    BeautifulSoup does: consecutive data is one string, ended by any tag, comment or declaration; an end tag
    closes every tag opened after the most recent open tag of its name (none open: ignored); a void tag is
    closed at once; strings inside an open string container, comments, doctypes, declarations and processing
    instructions are not kept (html_to_text never reads them); CDATA is kept marked."""

    def __init__(self):
        self.builder = _BUILDER            # read by the parser: attribute_dict_class, store_line_numbers
        self.root = _Node(ROOT)
        self.stack = [self.root]
        self.open: dict[str, int] = {}     # open tags by name
        self.in_container = 0              # open string-container tags
        self.data: list[str] = []
        self.contains_replacement_characters = False

    def handle_starttag(self, name, namespace, nsprefix, attrs, sourceline=None, sourcepos=None, namespaces=None):
        self.endData()
        node = _Node(name)
        self.stack[-1].contents.append(node)
        self.stack.append(node)
        self.open[name] = self.open.get(name, 0) + 1
        if name in _STRING_CONTAINERS:
            self.in_container += 1
        return self

    # what the parser asks of the tag handle_starttag returned: a void tag is closed at once
    is_empty_element = property(lambda self: not self.stack[-1].contents and self.stack[-1].name in _VOID)

    def handle_endtag(self, name, nsprefix=None):
        self.endData()
        if name == ROOT or not self.open.get(name):
            return
        while len(self.stack) > 1:
            popped = self._pop()
            if popped == name:
                break

    def _pop(self) -> str:
        name = self.stack.pop().name
        self.open[name] -= 1
        if name in _STRING_CONTAINERS:
            self.in_container -= 1
        return name

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def endData(self, containerClass=None) -> None:
        if not self.data:
            return
        text = "".join(self.data)
        self.data = []
        if containerClass is CData:
            self.stack[-1].contents.append(_CData(text))
        elif containerClass is None and not self.in_container:
            self.stack[-1].contents.append(text)

    def finish(self) -> _Node:
        self.endData()
        return self.root


def light_tree(markup: str) -> _Node:
    """The tree html_to_text walks, as BeautifulSoup(markup, "html.parser") would build it (only tag names,
    children, plain strings and CDATA)."""
    builder = _Builder()
    parser = _Parser(builder, convert_charrefs=False)
    parser.feed(markup)
    parser.close()
    return builder.finish()


def _light_cells(node: _Node) -> list[str]:
    """Every td/th under `node` (document order, nested ones too), each as its strings joined by ' ' (what
    BeautifulSoup's find_all(["td", "th"]) and get_text(" ") give)."""
    cells, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.name in ("td", "th") and n is not node:
            cells.append(" ".join(_light_strings(n)))
        stack.extend(c for c in reversed(n.contents) if type(c) is _Node)
    return cells


def _light_strings(node: _Node) -> list[str]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if type(n) is _Node:
            stack.extend(reversed(n.contents))
        else:
            out.append(n)
    return out


def _soup_cells(node) -> list[str]:
    return [c.get_text(" ") for c in node.find_all(["td", "th"])]


def html_to_text(markup: str) -> tuple[str, list[tuple[int, int, str, int | None]]]:
    """Flatten HTML to text with one block per line, and the blocks' kinds as hints (see
    `html_to_text_reference`, which this equals: the same walk over a lighter tree)."""
    markup = lines_kept(markup)
    if _Parser is not None:
        try:
            tree = light_tree(markup)
        except Exception:   # whatever the parser refuses, the reference refuses (or reads) the same way
            return html_to_text_reference(markup)
        return _flatten(tree, str, _light_cells)
    return html_to_text_reference(markup)


def html_to_text_reference(markup: str) -> tuple[str, list[tuple[int, int, str, int | None]]]:
    """Flatten HTML to text with one block per line, and the blocks' kinds as hints.

    h1-h6 are headings (with their level; a <br> inside one ends the heading there, the lines after it
    are paragraphs), li bullets, table rows one block each (cells joined by ' | '),
    p/div/br break blocks; a paragraph that is only bold text is a heading candidate (level None).
    Text inside an h-tag is bold, but once the h-tag's first line is out, a block-level child (p, div,
    figure, ...; li already starts unbolded) is bold only by its own b/strong: SEO pages wrap whole
    paragraphs, captions and lists in an unclosed or enclosing h2, and those are no heading candidates.
    html.parser never loads external entities or DTDs, so entity expansion is bounded by the input.
    """
    return _flatten(BeautifulSoup(lines_kept(markup), "html.parser"), NavigableString, _soup_cells)


def _flatten(soup, plain: type, cells_of) -> tuple[str, list[tuple[int, int, str, int | None]]]:
    """The walk of html_to_text over a tree (BeautifulSoup's or the light one): `plain` is the class of its
    plain strings (others, such as comments, are skipped), `cells_of(tr)` the texts of a row's cells."""
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
        if isinstance(node, str):
            if type(node) is not plain:  # comments, CDATA, doctype
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
            cells = [squash(c) for c in cells_of(node)]
            buf.append(ROW_CELL_SEPARATOR.join(c for c in cells if c))
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
