"""Files in the raw folder → `Listing` records (or `Reject`s with a reason), never modifying the files.

Formats by extension: .txt/.text/.md (plain text), .html/.htm (beautifulsoup4), .json (one record or an
array), .jsonl/.ndjson (a record per line), .csv (a record per row). Scraper records name their fields
differently; `FieldMap` knows the common names and takes an explicit mapping. An HTML description inside
a record field is parsed as HTML. Every input is either yielded as a Listing or as a Reject that says why.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from .contract.records import Listing, Reject
from .text.normalize import DecodeError, decode, looks_binary, normalize

FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html",
           ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
DEFAULT_MAX_BYTES = 50 * 2**20
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LOOKS_HTML = re.compile(r"""
    <\s*(
        p|div|br|section|span            # blocks and breaks
      | li|ul|ol|h[1-6]                  # lists and headings
      | table|tr                         # tables
      | strong|b|img                     # emphasis and images
    )\b[^>]*>
""", re.VERBOSE | re.IGNORECASE)


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold the title, the description and the id (first present, non-empty wins)."""
    title: tuple[str, ...] = ("title", "name", "product_name", "productName")
    text: tuple[str, ...] = ("description", "description_html", "description_text", "short_description",
                             "content", "body", "text")
    id: tuple[str, ...] = ("id", "sku", "url_key", "product_id")

    def with_overrides(self, overrides: dict[str, str]) -> "FieldMap":
        """`{"title": "ten_sp"}` puts that field first; unknown keys are an error."""
        unknown = set(overrides) - {"title", "text", "id"}
        if unknown:
            raise ValueError(f"unknown field mapping key(s) {sorted(unknown)}; use title, text, id")
        return FieldMap(**{k: (overrides[k], *getattr(self, k)) if k in overrides else getattr(self, k)
                           for k in ("title", "text", "id")})


def doc_id_for(record_id: str | None, title: str | None, text: str) -> str:
    """Stable id from content alone, so the same listing gets the same id wherever it sits."""
    h = hashlib.sha1(f"{record_id or ''}\x1f{title or ''}\x1f{text}".encode("utf-8"))
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- HTML

_DROP = {"script", "style", "nav", "footer", "noscript", "template", "head", "iframe", "svg", "form", "button"}
_BREAK = {"p", "div", "br", "section", "article", "header", "main", "blockquote", "pre", "ul", "ol", "dl",
          "dt", "dd", "table", "tbody", "thead", "figure", "figcaption", "hr", "body", "html"}


def _squash(text: str) -> str:
    """Whitespace runs to one space, ends trimmed; str.split() knows the same whitespace as \\s, and is faster."""
    return " ".join(text.split())


def html_to_text(markup: str) -> tuple[str, list[tuple[int, int, str, int | None]]]:
    """Flatten HTML to text with one block per line, and the blocks' kinds as hints.

    h1-h6 are headings (with their level), li bullets, table rows one block each (cells joined by ' | '),
    p/div/br break blocks; a paragraph that is only bold text is a heading candidate (level None).
    html.parser never loads external entities or DTDs, so entity expansion is bounded by the input.
    """
    soup = BeautifulSoup(markup, "html.parser")
    pieces: list[tuple[str, str, int | None]] = []
    buf: list[str] = []
    bold_only = [True]

    def flush(kind: str = "paragraph", level: int | None = None) -> None:
        text = _squash("".join(buf))
        buf.clear()
        if text:
            if kind == "paragraph" and bold_only[0] and len(text) <= 80:
                kind = "heading"
            pieces.append((text, kind, level))
        bold_only[0] = True

    def walk(node: Tag, in_bold: bool = False) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is not NavigableString:  # comments, CDATA, doctype
                    continue
                if child.strip() and not in_bold:
                    bold_only[0] = False
                buf.append(str(child))
                continue
            name = child.name
            if name in _DROP:
                continue
            if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                flush()
                walk(child, True)
                flush("heading", int(name[1]))
            elif name == "li":
                flush()
                walk(child)
                flush("bullet")
            elif name == "tr":
                flush()
                cells = [_squash(c.get_text(" ")) for c in child.find_all(["td", "th"])]
                buf.append(" | ".join(c for c in cells if c))
                bold_only[0] = False
                flush("row")
            elif name in _BREAK:
                flush()
                walk(child, in_bold)
                flush()
            else:
                walk(child, in_bold or name in ("b", "strong"))

    walk(soup)
    flush()
    text, hints, pos = [], [], 0
    for piece, kind, level in pieces:
        piece = normalize(piece)
        hints.append((pos, pos + len(piece), kind, level))
        text.append(piece)
        pos += len(piece) + 1
    return "\n".join(text), hints


# ---------------------------------------------------------------- records

def _first(record: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return str(value)
    return None


def listing_from_record(record: dict, source: str, fmt: str, fields: FieldMap) -> Listing | Reject:
    if not isinstance(record, dict):
        return Reject(source, "bad_record", f"{source}: expected an object, got {type(record).__name__}", 0)
    raw_text = _first(record, fields.text)
    n_bytes = len(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    if raw_text is None:
        return Reject(source, "no_text", f"{source}: no text field (looked for {', '.join(fields.text)})", n_bytes)
    title = _first(record, fields.title)
    title = normalize(_squash(title)).strip() if title else None
    return _listing(source, fmt, title, _first(record, fields.id), raw_text, n_bytes,
                    is_html=bool(_LOOKS_HTML.search(raw_text)))


def _listing(source: str, fmt: str, title: str | None, record_id: str | None, raw_text: str, n_bytes: int,
             is_html: bool) -> Listing | Reject:
    if is_html:
        text, hints = html_to_text(raw_text)
        if title is None and fmt == "html":  # a web page's title is its first h1
            title = next((text[s:e] for s, e, kind, level in hints if kind == "heading" and level == 1), None)
    else:
        text, hints = normalize(raw_text), []
    if not text.strip():
        return Reject(source, "no_text", f"{source}: no text{' after removing HTML markup' if is_html else ''}", n_bytes)
    if not _HAS_LETTER.search(text):
        return Reject(source, "no_letters", f"{source}: text holds only numbers or symbols", n_bytes)
    return Listing(doc_id=doc_id_for(record_id, title, text), source=source, format=fmt, title=title,
                   text=text, hints=hints)


# ---------------------------------------------------------------- files

def iter_files(raw: Path) -> Iterator[Path | Reject]:
    """Input files under `raw` in a stable order. Hidden files are skipped; symlinks leaving raw are rejected."""
    root = raw.resolve()
    for dirpath, dirnames, filenames in os.walk(raw, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                yield Reject(path.relative_to(raw).as_posix(), "symlink_outside",
                             f"{path.relative_to(raw)}: symlink points outside the raw folder; not followed", 0)
                continue
            yield path


def read_file(path: Path, raw: Path, fields: FieldMap = FieldMap(), max_bytes: int = DEFAULT_MAX_BYTES,
              lines: tuple[int, int] | None = None, offset: int = 0) -> Iterator[Listing | Reject]:
    """Every record of one file. For JSON Lines, only lines `lines[0]..lines[1]` when given, the first of
    them starting at byte `offset`."""
    rel = path.relative_to(raw).as_posix()
    fmt = FORMATS.get(path.suffix.lower())
    size = path.stat().st_size
    if fmt is None:
        yield Reject(rel, "unknown_type", f"{rel}: unknown file type {path.suffix or '(none)'!r}; "
                     f"expected one of {', '.join(sorted(FORMATS))}", size)
        return
    if fmt == "jsonl":
        yield from _read_jsonl(path, rel, size, fields, max_bytes, lines or (1, None), offset)
        return
    if size > max_bytes:
        yield Reject(rel, "too_large", f"{rel}: {size} bytes is over the {max_bytes}-byte limit", size)
        return
    data = path.read_bytes()
    if not data.strip():
        yield Reject(rel, "empty", f"{rel}: empty file", size)
        return
    try:
        text, _encoding = decode(data)
    except DecodeError as exc:
        reason = exc.reason
        yield Reject(rel, reason, f"{rel}: {exc}", size)
        return
    if fmt in ("txt", "html"):
        yield _listing(rel, fmt, None, None, text, size, is_html=fmt == "html")
    elif fmt == "json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Reject(rel, "bad_json", f"{rel}: malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", size)
            return
        records = doc if isinstance(doc, list) else [doc]
        for i, record in enumerate(records, 1):
            yield listing_from_record(record, f"{rel}#{i}" if isinstance(doc, list) else rel, fmt, fields)
    else:  # csv
        try:
            rows = list(csv.DictReader(io.StringIO(text)))
        except csv.Error as exc:
            yield Reject(rel, "bad_csv", f"{rel}: malformed CSV ({exc})", size)
            return
        for i, row in enumerate(rows, 1):
            yield listing_from_record(row, f"{rel}#{i}", fmt, fields)


def _read_jsonl(path: Path, rel: str, size: int, fields: FieldMap, max_bytes: int,
                lines: tuple[int, int | None], offset: int) -> Iterator[Listing | Reject]:
    """JSON Lines stream line by line (UTF-8, as the format requires), so a big file never sits in memory;
    the size limit applies to each record."""
    first, last = lines
    with open(path, "rb") as fh:
        if first == 1:
            head = fh.read(4096)
            if not head.strip():
                yield Reject(rel, "empty", f"{rel}: empty file", size)
                return
            if looks_binary(head):
                yield Reject(rel, "binary", f"{rel}: binary content (NUL or control bytes)", size)
                return
        fh.seek(offset)
        for lineno, raw_line in enumerate(fh, first):
            if last is not None and lineno > last:
                break
            if lineno == 1 and raw_line.startswith(codecs.BOM_UTF8):
                raw_line = raw_line[3:]
            if not raw_line.strip():
                continue
            src, n = f"{rel}#{lineno}", len(raw_line)
            if n > max_bytes:
                yield Reject(src, "too_large", f"{rel} line {lineno}: {n} bytes is over the {max_bytes}-byte limit", n)
                continue
            try:
                record = json.loads(raw_line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Reject(src, "undecodable", f"{rel} line {lineno}: not UTF-8 (byte {exc.start})", n)
                continue
            except json.JSONDecodeError as exc:
                yield Reject(src, "bad_json", f"{rel} line {lineno}: malformed JSON ({exc.msg} at column {exc.colno})", n)
                continue
            yield listing_from_record(record, src, "jsonl", fields)
