"""Records (from JSON, JSON Lines or CSV) and texts → `Listing`s, or `Reject`s that say why.

Scraper records name their fields differently; `FieldMap` knows the common names and takes an explicit
mapping. An HTML description inside a record field is parsed as HTML. `doc_id_for` gives a listing the
same id wherever it sits.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from pipeline.contract.records import Listing, Reject
from pipeline.text.normalize import normalize

from .html import html_to_text, squash

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


def first_field(record: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return str(value)
    return None


def listing_from_record(record: dict, source: str, fmt: str, fields: FieldMap) -> Listing | Reject:
    if not isinstance(record, dict):
        return Reject(source, "bad_record", f"{source}: expected an object, got {type(record).__name__}", 0)
    raw_text = first_field(record, fields.text)
    n_bytes = len(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    if raw_text is None:
        return Reject(source, "no_text", f"{source}: no text field (looked for {', '.join(fields.text)})", n_bytes)
    title = first_field(record, fields.title)
    title = normalize(squash(title)).strip() if title else None
    return make_listing(source, fmt, title, first_field(record, fields.id), raw_text, n_bytes,
                    is_html=bool(_LOOKS_HTML.search(raw_text)))


def make_listing(source: str, fmt: str, title: str | None, record_id: str | None, raw_text: str, n_bytes: int,
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
