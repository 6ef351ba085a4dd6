"""Bytes to clean text.

`decode` turns source bytes into text (BOM-aware UTF-8/UTF-16, then legacy Vietnamese Windows-1258); what
is not text raises a `DecodeError` subclass whose class says why (`BinaryContent`, `Undecodable`).
`normalize` is applied before anything else: Unicode NFC, one newline convention, no invisible format
characters. `documents.text` is the normalized text, and every offset in the outputs points into it.
(`pipeline.text.fold` gives the folded form that matching runs on.)
"""
from __future__ import annotations

import codecs
import re
import unicodedata

# Invisible characters that split words without showing: zero-width space/joiners, word joiner, BOM, soft hyphen.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
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
    """Not valid in any encoding we accept (UTF-8, UTF-16 with a BOM, Windows-1258)."""
    reason = "undecodable"


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16) or many control bytes mean the file is not text."""
    sample = data[:BINARY_SAMPLE_BYTES]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return b"\x00" in sample or controls / len(sample) > MAX_CONTROL_SHARE


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError for bytes that are not text."""
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
        try:
            # Windows-1258 writes Vietnamese tone marks as combining characters; NFC recomposes them.
            return data.decode("cp1258"), "cp1258"
        except UnicodeDecodeError:
            raise Undecodable(f"not UTF-8 (byte {utf8_error.start}) nor Windows-1258") from utf8_error


def normalize(text: str) -> str:
    """NFC, '\\n' newlines, no invisible or control characters."""
    if _NEEDS_CLEANING.search(text):
        text = _NEWLINES.sub("\n", text)
        text = _INVISIBLE.sub("", text)
        text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)
