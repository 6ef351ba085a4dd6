"""Records (from JSON, JSON Lines or CSV) and texts → `Listing`s, or `Reject`s that say why.

Scraper records name their fields differently; `FieldMap` knows the common names and takes an explicit
mapping, the raw fields to carry through (`keep`) and the CSV delimiter. An HTML description inside a record
field is parsed as HTML; HTML entities left in a plain-text field (`&#39;`, `&quot;`, `&amp;`) are decoded.
`doc_id_for` gives a listing the same id wherever it sits; `record_id` is the record's own id, as written.
Whatever goes wrong with one record (a lone surrogate, nesting too deep for the parser, a value of an odd
type) rejects that record with its reason, never the file or the run.
"""
from __future__ import annotations

import hashlib
import html
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


# An entity as a scraper leaves it in plain text, ended by ";" ("&#39;", "&quot;", "&amp;"): html.unescape alone
# also reads a bare "&#0" or "&deg" as one, which a seller's text writes as it is.
_ENTITY = re.compile(r"""
    &(?:
        \#[0-9]{1,7}                # &#39;
      | \#[xX][0-9a-fA-F]{1,6}      # &#x27;
      | [A-Za-z][A-Za-z0-9]{1,31}   # &quot;
    );""", re.VERBOSE)


def unescape_entities(text: str) -> str:
    """Entities ended by ";" decoded, anything else as written.

    >>> unescape_entities("Q&amp;A: it&#39;s 30&deg C, &#0 left")
    "Q&A: it's 30&deg C, &#0 left"
    """
    return _ENTITY.sub(lambda m: html.unescape(m.group()), text) if "&" in text else text


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold the title, the description and the id (first present, non-empty wins)."""
    title: tuple[str, ...] = ("title", "name", "product_name", "productName")
    text: tuple[str, ...] = ("description", "description_html", "description_text", "short_description",
                             "content", "body", "text")
    id: tuple[str, ...] = ("id", "sku", "url_key", "product_id")
    keep: tuple[str, ...] = ()           # raw fields carried through into catalog.extra (--keep)
    delimiter: str | None = None         # CSV delimiter; None: sniffed from the header line

    def with_overrides(self, overrides: dict) -> "FieldMap":
        """`{"title": "ten_sp"}` puts that field first; `keep` (a list, or names joined by commas) and
        `delimiter` replace theirs; unknown keys are an error."""
        unknown = set(overrides) - {"title", "text", "id", "keep", "delimiter"}
        if unknown:
            raise ValueError(f"unknown field mapping key(s) {sorted(unknown)}; use title, text, id (or keep, "
                             f"delimiter)")
        values = {k: (str(overrides[k]), *getattr(self, k)) if k in overrides else getattr(self, k)
                  for k in ("title", "text", "id")}
        keep = overrides.get("keep", self.keep)
        if isinstance(keep, str):
            keep = [k.strip() for k in keep.split(",")]
        delimiter = overrides.get("delimiter", self.delimiter)
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
            raise ValueError(f"the CSV delimiter must be one character, got {delimiter!r} (e.g. ';' or '\\t')")
        return FieldMap(**values, keep=tuple(dict.fromkeys(k for k in keep if k)), delimiter=delimiter)

    def known(self) -> set[str]:
        """Every field name this mapping reads."""
        return {*self.title, *self.text, *self.id, *self.keep}


def doc_id_for(record_id: str | None, title: str | None, text: str) -> str:
    """Stable id from content alone, so the same listing gets the same id wherever it sits."""
    h = hashlib.sha1(f"{record_id or ''}\x1f{title or ''}\x1f{text}".encode("utf-8"))
    return h.hexdigest()[:16]


def as_text(value) -> str:
    """A field's value as text: strings as they are, numbers and booleans as JSON writes them, lists and
    objects as JSON.

    >>> as_text("A1"), as_text(129000), as_text(12.5), as_text(True), as_text(["x", 1])
    ('A1', '129000', '12.5', 'true', '["x", 1]')
    """
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def first_field(record: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return as_text(value)
    return None


# A field named like these is an id or a number, not the text a --field text=... hint should suggest.
_NOT_TEXT_HINT = re.compile(r"""
    (^|_)                      # at the start of the name or after an underscore...
    (id|sku|url|price|gia)     # ...an id, a stock code, a link, a price (giá, folded)
    ($|_)                      # ...ending the name or before an underscore
""", re.VERBOSE | re.IGNORECASE)


def no_text_message(source: str, record: dict, fields: FieldMap) -> str:
    """`no text field ...; found: Mã SP, Tên sản phẩm, Mô tả; try --field text="Mô tả"`."""
    found = [str(k) for k in record]
    text_like = [(len(v), str(k)) for k, v in record.items()
                 if isinstance(v, str) and v.strip() and not _NOT_TEXT_HINT.search(str(k))]
    msg = f"{source}: no text field (looked for {', '.join(fields.text)}); found: {', '.join(found) or 'no fields'}"
    if text_like:
        msg += f'; try --field text="{max(text_like)[1]}"'
    return msg


def _check_text(value: str, name: str) -> None:
    """Raise UnicodeError for a lone surrogate (JSON's "\\ud800"): no UTF-8 file can hold it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnicodeError(f"field {name!r} holds a lone surrogate (U+{ord(value[exc.start]):04X}) at "
                           f"character {exc.start}, which is not text") from None


def listing_from_record(record: dict, source: str, fmt: str, fields: FieldMap,
                        n_bytes: int | None = None) -> Listing | Reject:
    """One record -> a Listing, or a Reject with the reason; never raises."""
    if not isinstance(record, dict):
        return Reject(source, "bad_record", f"{source}: expected an object, got {type(record).__name__}", 0)
    try:
        if n_bytes is None:
            n_bytes = len(json.dumps(record, ensure_ascii=False).encode("utf-8", errors="replace"))
        raw_text = first_field(record, fields.text)
        if raw_text is None:
            return Reject(source, "no_text", no_text_message(source, record, fields), n_bytes)
        title = first_field(record, fields.title)
        record_id = first_field(record, fields.id)
        for name, value in (("text", raw_text), ("title", title), ("id", record_id)):
            if value is not None:
                _check_text(value, name)
        extra = None
        if fields.keep:
            extra = {k: as_text(record[k]) for k in fields.keep if record.get(k) is not None}
            for k, v in extra.items():
                _check_text(v, k)
        is_html = bool(_LOOKS_HTML.search(raw_text))
        if not is_html:
            raw_text = unescape_entities(raw_text)      # entities a scraper left in plain text
        title = normalize(squash(unescape_entities(title))).strip() if title else None
        listing = make_listing(source, fmt, title or None, record_id, raw_text, n_bytes, is_html=is_html)
    except UnicodeError as exc:
        return Reject(source, "undecodable", f"{source}: {exc}", n_bytes or 0)
    except RecursionError:
        return Reject(source, "bad_record", f"{source}: nested too deeply to read", n_bytes or 0)
    except Exception as exc:  # one odd record must not stop the file: rejected with the exception's class
        return Reject(source, "bad_record", f"{source}: {type(exc).__name__}: {exc}", n_bytes or 0)
    if isinstance(listing, Listing):
        listing.record_id, listing.extra = record_id, extra
    return listing


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
