"""Bytes to clean text.

`decode` turns source bytes into text: BOM-aware UTF-8/UTF-16 first (the fast path: strict UTF-8), then, when
most of the bytes are valid UTF-8, UTF-8 with the few invalid bytes marked (U+FFFD), and only when nothing
decodes as UTF-8 a legacy code page detected by charset-normalizer (Windows-1258 for Vietnamese, GBK,
Windows-1252, ...). What is not text raises a `DecodeError` subclass whose class says why (`BinaryContent`,
`Undecodable`). `utf8_verdict` tells a streaming reader whether a file is UTF-8 (decode record by record,
rejecting the records that are not) or in a legacy code page (transcode it first).
`normalize` is applied before anything else: Unicode NFC, one newline convention, no invisible format
characters, no bidi-override controls. `documents.text` is the normalized text, and every offset in the outputs points into it.
(`pipeline.text.fold` gives the folded form that matching runs on.)
"""
from __future__ import annotations

import codecs
import re
import unicodedata

# Invisible characters that split words without showing: zero-width space/joiners, word joiner, BOM, soft hyphen,
# and the bidi controls that reorder what is shown (LRM/RLM, ALM, embeddings and overrides U+202A-E, isolates
# U+2066-9: "Trojan source" text that reads differently from what it says).
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
# C0/C1 control characters other than tab and newline (as a character-class body).
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
# Any character the three patterns above act on: most text holds none, and one scan is cheaper than three.
_NEEDS_CLEANING = re.compile(f"[\r\u2028\u2029\x85{_INVISIBLE_CHARS}{_CONTROL_CHARS}]")
# Bytes counted as control bytes by looks_binary (tab, newline, vertical tab, form feed and CR are text).
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


# Share of control bytes above which a sample is binary.
MAX_CONTROL_SHARE = 0.1
BINARY_SAMPLE_BYTES = 4096


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept. `reason` is the reject reason it gives."""
    reason = "undecodable"


class BinaryContent(DecodeError):
    """NUL bytes (outside UTF-16) or many control bytes."""
    reason = "binary"


class Undecodable(DecodeError):
    """Not valid in any encoding we accept (UTF-8, UTF-16 with a BOM, a legacy code page charset-normalizer finds)."""
    reason = "undecodable"


# Legacy code pages preferred when charset-normalizer finds several that decode the bytes equally well
# (same chaos): Vietnamese first, then Western European (which it otherwise often reports as cp1250).
PREFERRED_LEGACY = ("cp1258", "cp1252")
# Windows-1258 is taken when at least this share of the letters it decodes are Vietnamese letters...
VIETNAMESE_SHARE = 0.9
# ...otherwise charset-normalizer decides, given at least this many non-ASCII bytes to go on.
MIN_DETECT_BYTES = 16
# ...and on fewer, Windows-1252 when at least this share of its runs of non-ASCII bytes are one byte long.
SINGLE_BYTE_RUNS = 0.75
# A file is read as UTF-8 (invalid bytes marked or their records rejected) when its valid non-ASCII UTF-8
# characters are at least this many times its invalid bytes: one stray 0x92 in a UTF-8 file stays UTF-8.
UTF8_MAJORITY = 1.0


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16) or many control bytes mean the file is not text."""
    sample = data[:BINARY_SAMPLE_BYTES]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return b"\x00" in sample or controls / len(sample) > MAX_CONTROL_SHARE


def utf8_verdict(data: bytes) -> tuple[int, int]:
    r"""(valid non-ASCII UTF-8 characters, invalid bytes) of a sample.

    >>> utf8_verdict("Giao hàng nhanh".encode("utf-8"))
    (1, 0)
    >>> utf8_verdict("Giao hàng".encode("utf-8") + b" \x92 ")
    (1, 1)
    >>> utf8_verdict("café".encode("cp1252"))
    (0, 1)
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - invalid, invalid


def mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 apart from a few stray bytes (or plain ASCII)."""
    valid, invalid = utf8_verdict(data)
    return invalid == 0 or valid >= UTF8_MAJORITY * invalid


# Vietnamese letters: a Latin base letter (or đ) with only Vietnamese marks (shape: circumflex, breve, horn;
# tone: grave, acute, tilde, hook above, dot below).
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
_VI_MARKS = set("\u0302\u0306\u031b\u0300\u0301\u0303\u0309\u0323")


def _vietnamese_share(text: str) -> float:
    """Share of the non-ASCII letters of `text` that are Vietnamese letters (0.0 when there are none).

    >>> _vietnamese_share("Giao hàng miễn phí"), _vietnamese_share("naïve Grüße"), _vietnamese_share("abc")
    (1.0, 0.0, 0.0)
    """
    n = vi = 0
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii() or not ch.isalpha():
            continue
        n += 1
        base, *marks = unicodedata.normalize("NFD", ch)
        if ch in "đĐ" or (base.isascii() and marks and all(m in _VI_MARKS for m in marks)):
            vi += 1
    return vi / n if n else 0.0


def legacy_encoding(data: bytes) -> str | None:
    r"""The legacy code page of bytes that are not UTF-8, or None when none fits with confidence.

    Windows-1258 when it decodes the bytes into Vietnamese letters (at least VIETNAMESE_SHARE of the non-ASCII
    letters: a GBK or Windows-1252 file decoded as 1258 gives Ñ Ë » ...); otherwise what charset-normalizer
    finds, when the bytes hold at least MIN_DETECT_BYTES non-ASCII bytes (on fewer its guesses are noise),
    PREFERRED_LEGACY winning among equally good candidates; on fewer, Windows-1252 when its non-ASCII bytes
    stand alone (at least SINGLE_BYTE_RUNS of the runs of non-ASCII bytes).

    >>> legacy_encoding("Giao hàng".encode("cp1258")), legacy_encoding("naïve café".encode("cp1252"))
    ('cp1258', 'cp1252')
    >>> legacy_encoding("退货".encode("gbk")), legacy_encoding(b"ok \x81\x8d\x8f\x90 text")
    (None, None)
    """
    try:
        if _vietnamese_share(data.decode("cp1258")) >= VIETNAMESE_SHARE:
            return "cp1258"
    except UnicodeDecodeError:
        pass
    runs = _NON_ASCII_RUN.findall(data)
    if sum(map(len, runs)) >= MIN_DETECT_BYTES:
        import charset_normalizer
        matches = list(charset_normalizer.from_bytes(data))
        if matches:
            best = min(m.chaos for m in matches)
            tied = [m.encoding for m in matches if m.chaos <= best + 0.01]
            return next((e for e in PREFERRED_LEGACY if e in tied), tied[0])
    # Few bytes to go on: Windows-1252 when its bytes stand alone between ASCII (é, ü, “ ” in words); a
    # double-byte code page (GBK, Big5) pairs them.
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if runs and sum(len(r) == 1 for r in runs) / len(runs) >= SINGLE_BYTE_RUNS:
        return "cp1252"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError for bytes that are not text.

    UTF-8 is tried first and strictly (the fast path); a file that is UTF-8 but for a few stray bytes keeps
    UTF-8 with those bytes marked U+FFFD (encoding "utf-8+replaced"); only bytes that are not UTF-8 at all
    go to charset-normalizer.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise Undecodable(f"invalid UTF-16 at byte {exc.start}") from exc
    if looks_binary(data):
        raise BinaryContent("binary content (NUL or control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        if mostly_utf8(data):
            return data.decode("utf-8", errors="replace"), "utf-8+replaced"
        encoding = legacy_encoding(data)
        if encoding is None:
            raise Undecodable(f"not UTF-8 (byte {utf8_error.start}) and no legacy code page fits") from utf8_error
        # Windows-1258 writes Vietnamese tone marks as combining characters; NFC recomposes them.
        return data.decode(encoding), encoding


def normalize(text: str) -> str:
    """NFC, '\\n' newlines, no invisible or control characters."""
    # Every character the cleaning acts on is non-printable, so a text printable but for its newlines and tabs
    # needs none (the common case, and `isprintable` reads a text several times faster than the expression).
    if not text.replace("\n", " ").replace("\t", " ").isprintable() and _NEEDS_CLEANING.search(text):
        text = _NEWLINES.sub("\n", text)
        text = _INVISIBLE.sub("", text)
        text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)
