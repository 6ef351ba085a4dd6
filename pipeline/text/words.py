"""Word splitting shared by the stages: English words and Vietnamese syllables (whitespace-separated
units) are both runs of letters and digits, so one tokenizer serves both; the stop words are data.
"""
from __future__ import annotations

import functools
import re

from pipeline.lexicon import load

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# The same on text whose '_' became ' ' (an underscore is then no word character either way): `re` runs the
# plain \w class faster than "not non-word nor '_'".
_TOKEN_NO_UNDERSCORE = re.compile(r"\w+(?:['’]\w+)?")


@functools.lru_cache(maxsize=1024)
def word_tokens(text: str) -> tuple[str, ...]:
    """Lower-case words, an apostrophe joining two ("don't"); Vietnamese syllables are words. Cached (for a
    listing's worth of blocks: the tokens are big) because sections and quality read the same blocks. Equal to
    `word_tokens_reference` (tests compare the two), only cheaper on ASCII text.

    >>> word_tokens("Don't MISS: Giao hàng 2-3 ngày")
    ("don't", 'miss', 'giao', 'hàng', '2', '3', 'ngày')
    """
    if not text.isascii():
        return word_tokens_reference(text)
    # ASCII text, lower-cased with every character that is no word character nor an apostrophe made a space
    # by one bytes.translate, splits straight into its words: no loop over its chunks (about half the time
    # of the reference on the bench's ASCII description blocks). Only a chunk holding an apostrophe, which
    # joins two words ("don't") or none ("'90s"), is read by the expression.
    spaced = text.encode("ascii").translate(_ASCII_SPACED).decode("ascii")
    p = spaced.find("'")
    if p == -1:
        return tuple(spaced.split())
    out: list[str] = []
    at = 0   # spaced[:at] is read, and spaced[at] is a space (or the end)
    while p != -1:
        start = spaced.rfind(" ", at, p) + 1
        end = spaced.find(" ", p)
        if end == -1:
            end = len(spaced)
        out += spaced[at:start].split()
        out += _TOKEN_NO_UNDERSCORE.findall(spaced[start:end])
        at = end
        p = spaced.find("'", at)
    out += spaced[at:].split()
    return tuple(out)


# bytes.translate table for ASCII text: a letter to its lower case, a letter, digit or apostrophe kept, any
# other character (punctuation, '_', whitespace) a space (bytes past ASCII are never read).
_ASCII_SPACED = bytes(ord(ch.lower()) if WORD.fullmatch(ch) or ch == "'" else 32 for ch in map(chr, range(128))) \
    + bytes(range(128, 256))


def word_tokens_reference(text: str) -> tuple[str, ...]:
    """`word_tokens` chunk by chunk, on any text (`word_tokens` reads the text that is not ASCII with it)."""
    # A token never crosses whitespace, so each whitespace-separated chunk is read alone, and most chunks are
    # a word already (letters and digits only): one isalnum test instead of the expression (about a quarter
    # less time on the bench's description blocks).
    # The other chunks ("hàng," "it's" "(size") repeat across a listing's blocks and its shop's listings: their
    # tokens are remembered per chunk (a dict look-up instead of the expression's call).
    out: list[str] = []
    split = _split_chunks
    for chunk in text.lower().replace("_", " ").split():
        if chunk.isalnum():
            out.append(chunk)
        else:
            toks = split.get(chunk)
            if toks is None:
                if len(split) >= _SPLIT_MAX:
                    split.clear()
                toks = split[chunk] = tuple(_TOKEN_NO_UNDERSCORE.findall(chunk))
            out += toks
    return tuple(out)


_split_chunks: dict[str, tuple[str, ...]] = {}   # chunk that is not alphanumeric -> its tokens
_SPLIT_MAX = 1 << 15


# The one character whose lower case is longer than itself ('İ' -> 'i̇'; tests walk every code point), so a
# text keeps its length when lower-cased exactly when it does not hold it.
LOWER_LONGER = "\u0130"


@functools.lru_cache(maxsize=8192)
def count_words(text: str) -> int:
    """Runs of letters and digits ("don't" is two); Vietnamese syllables count one each. Read off the shared
    `word_tokens` when lower-casing keeps the text's length (it then keeps every character a letter or not):
    `count_words_reference`, without lower-casing the text once more to ask (tests compare the two).

    >>> count_words("Don't miss: giao hàng 2-3 ngày")
    8
    """
    if LOWER_LONGER in text:
        return len(WORD.findall(text))
    return _count_tokens(text)


def count_words_reference(text: str) -> int:
    """`count_words` asking `len(text.lower()) != len(text)` itself."""
    if len(text.lower()) != len(text):
        return len(WORD.findall(text))
    return _count_tokens(text)


def _count_tokens(text: str) -> int:
    """The words of a text that keeps its length when lower-cased, off its shared `word_tokens`."""
    tokens = word_tokens(text)
    if "'" not in text and "’" not in text:   # most texts: no token joins two words
        return len(tokens)
    joined = " ".join(tokens)
    return len(tokens) + joined.count("'") + joined.count("’")


@functools.cache
def stopwords() -> frozenset[str]:
    """Stop words of every language (lexicon/sections.toml): they carry no topic."""
    return frozenset(load("sections")["stopwords"])
