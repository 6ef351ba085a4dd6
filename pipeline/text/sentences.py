"""Sentences exactly as spaCy's tokenizer + sentencizer cut them, computed without building a `Doc`,
beside the spaCy reference they must equal (`spacy_sentence_cuts`; tests and `make eval` compare the two).

Pipelines are blank spaCy pipelines with a sentencizer, cached per language ('en' for English, 'xx'
otherwise: the blank 'vi' tokenizer needs pyvi, and without it the sentencizer never fires).
"""
from __future__ import annotations

import functools
import re

import spacy
from spacy.attrs import IDX, SENT_START

from .spans import strip_spans
from .styles import MARKER_ONLY


def nlp_for(lang: str):
    """Blank spaCy pipeline with a sentencizer: 'en' for English, 'xx' for everything else (one pipeline
    each, whatever code asks: 'vi' and 'xx' share the multi-language one). The reference the cuts are
    checked against; the stages read `tokenizer_for` and `_sentencizer` instead."""
    return _blank_nlp("en" if lang == "en" else "xx")


@functools.cache
def _blank_nlp(key: str):
    nlp = spacy.blank(key)
    nlp.add_pipe("sentencizer")
    return nlp


def tokenizer_for(lang: str):
    """The tokenizer of `nlp_for(lang)` (tests compare their serialized rules and their tokens), made by the
    language's class itself: `spacy.blank` and `add_pipe("sentencizer")` find theirs through spaCy's registry,
    which reads every installed package's entry points: loading both for a worker's first blocks took
    0.13-0.26 s of CPU (mean 0.21) instead of 0.21-0.30 s (mean 0.26), five alternated pairs."""
    return _language("en" if lang == "en" else "xx").tokenizer


@functools.cache
def _language(key: str):
    """A blank pipeline of the language's class, with no components."""
    if key == "en":
        from spacy.lang.en import English as language
    else:
        from spacy.lang.xx import MultiLanguage as language
    return language()


@functools.cache
def _sentencizer():
    """The sentencizer `nlp_for`'s pipeline adds, with its factory's defaults (no registry look-up)."""
    from spacy.pipeline import Sentencizer
    return Sentencizer()


@functools.cache
def _sentence_marks() -> frozenset[str]:
    from spacy.pipeline import Sentencizer
    return frozenset(Sentencizer.default_punct_chars)


@functools.lru_cache(maxsize=256)
def _mark_finder(present: frozenset[str]) -> re.Pattern:
    # Only the marks present: a class of all ~100 (astral ones included) makes `re` about 10x slower.
    return re.compile("[" + re.escape("".join(sorted(present))) + "]")


_WORD, _PUNCT, _MARK = 0, 1, 2
_CHUNK_END = re.compile(r"\s|\Z")
_SPACE_END = re.compile(r"\S|\Z")


@functools.cache
def _plain_tokenizer(key: str):
    """The same tokenizer without special cases: what its affix rules alone make of a chunk."""
    from spacy.tokenizer import Tokenizer
    tok = tokenizer_for(key)
    return Tokenizer(tok.vocab, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)


@functools.lru_cache(maxsize=1 << 16)
def _chunk_tokens(key: str, chunk: str) -> tuple[tuple[int, int], ...] | None:
    """(offset, kind) of each token spaCy's tokenizer makes of one whitespace-free chunk. The tokenizer
    cuts text at whitespace first and treats each chunk alone, so a chunk's tokens do not depend on its
    neighbours, and chunks repeat a lot: cached. One exception, hence None: a special case found inside
    the chunk after its affixes were split ("x." in "x.No") can be dropped for an emoticon-like special
    case that straddles the space before it (": x"), so such a chunk is left to spaCy in context."""
    marks = _sentence_marks()
    tokens = tokenizer_for(key)(chunk)
    if chunk not in _affix_rules(key)[2] and \
            [t.text for t in tokens] != [t.text for t in _plain_tokenizer(key)(chunk)]:
        return None
    return tuple((t.idx, _MARK if t.text in marks else _PUNCT if t.is_punct else _WORD) for t in tokens)


@functools.cache
def _affix_rules(key: str):
    """The tokenizer's prefix and suffix searches, and its special cases that end in a sentence mark."""
    tok = tokenizer_for(key)
    marks = _sentence_marks()
    specials = tuple(r for r in tok.rules if r[-1:] in marks)
    return tok.prefix_search, tok.suffix_search, frozenset(tok.rules), specials, tok.token_match is None


@functools.lru_cache(maxsize=1 << 16)
def _opening_chunk_tokens(key: str, chunk: str) -> tuple[tuple[int, int], ...] | None:
    """`_chunk_tokens` for a chunk read with no mark pending, where only its marks and the tokens after
    them count. The common chunk, a word ending in its only mark ("interview." "1-7." "2023!"), is settled
    from the tokenizer's own first affix step without tokenizing: no prefix, the suffix search takes just
    the mark, so the mark is a token of its own; unless a special case ("Mr." "e.g.") ends the chunk."""
    prefix_search, suffix_search, rules, mark_specials, plain = _affix_rules(key)
    body = chunk[:-1]
    if plain and _DIGIT_CHUNK.fullmatch(chunk) and _digit_shape_splits(key, chunk.translate(_ZERO)):
        # Digits joined by hyphens before the mark ("12-7." "2023!"): the affix rules tell no ASCII digit from
        # another and no special case is made of digits and hyphens (tests read both off the tokenizer), so
        # the chunk splits as its shape with every digit a 0 does, settled once per shape.
        return ((len(body), _MARK),)
    if body.isalpha() and plain and chunk not in rules and body not in rules and not prefix_search(chunk):
        # Letters alone: one token that no affix rule splits, so only a special case of the whole chunk
        # (or of its word, which would change its tokens) keeps the mark from a token of its own, and the
        # suffix search can end at the mark only with a rule looking back at most 2 characters: settled
        # by the last 2 letters and the mark, whatever the word (tests walk every letter).
        if _alpha_tail_splits(key, chunk[-3:]):
            return ((len(body), _MARK),)
        return _chunk_tokens(key, chunk)
    if body and plain and _sentence_marks().isdisjoint(body) and chunk not in rules \
            and not chunk.endswith(mark_specials) and not prefix_search(chunk):
        m = suffix_search(chunk)
        if m and m.start() == len(body):
            return ((len(body), _MARK),)
    return _chunk_tokens(key, chunk)


_DIGIT_CHUNK = re.compile(r"[0-9]+(?:-[0-9]+)*[.!?]")
_ZERO = str.maketrans("123456789", "000000000")


@functools.lru_cache(maxsize=1 << 10)
def _digit_shape_splits(key: str, shape: str) -> bool:
    """Whether the second branch of `_opening_chunk_tokens` takes just the final mark of a chunk of digit
    shape `shape` (ASCII digits as 0, hyphens, one final mark) as a token of its own: not a special case, no
    prefix, and the suffix search ends at the mark."""
    prefix_search, suffix_search, rules, mark_specials, _ = _affix_rules(key)
    if shape in rules or shape.endswith(mark_specials) or prefix_search(shape):
        return False
    m = suffix_search(shape)
    return bool(m) and m.start() == len(shape) - 1


@functools.lru_cache(maxsize=1 << 14)
def _alpha_tail_splits(key: str, tail: str) -> bool:
    """Whether the suffix search takes just the final mark of a chunk of letters ending in `tail` (its last
    2 letters, or its only one, and the mark): the rules that can end at a mark are single characters
    looking back at most 2 characters, and every longer rule needs a digit, an apostrophe or punctuation."""
    m = _affix_rules(key)[1](tail)
    return bool(m) and m.start() == len(tail) - 1


def sentence_cuts(text: str, key: str) -> list[int]:
    """Sentence starts exactly as spaCy's tokenizer + sentencizer give them; spaCy runs only for the rare
    text `cuts_without_spacy` leaves to it."""
    cuts = cuts_without_spacy(text, key)
    return cuts if cuts is not None else spacy_sentence_cuts([_sentencizer()(tokenizer_for(key)(text))])[0]


def cuts_without_spacy(text: str, key: str) -> list[int] | None:
    """Sentence starts as spaCy's tokenizer + sentencizer give them, without building a Doc (None in the
    rare case `_chunk_tokens` leaves to spaCy). Equal to `cuts_by_chunks` (tests compare the two, and both
    with spaCy), only cheaper.

    The sentencizer opens a sentence at the first token after a sentence mark ("." "!" "?" "。"...) that is
    neither punctuation nor a mark; whitespace other than one plain space is a token of its own. Only the
    chunks holding a mark, and those right after it, are tokenized (cached per chunk); plain words need no
    tokenizer. A text without a mark is settled by one set test. The common mark, the last character of
    its chunk, taken as a token of its own, and followed by one space and a letter or digit ("hàng. Giao"),
    is settled inline: the cut is that letter; anything else takes the general steps of `cuts_by_chunks`."""
    marks = mark_offsets(text)
    if not marks:
        return [0]
    opening = _opening_cache(key)
    cuts = [0]
    n = len(text)
    done = 0   # text before this has been read
    for i in marks:
        if i < done:
            continue
        # the chunk holding the mark: from the whitespace before it (text[done] is whitespace, or done is 0) to
        # the one after
        pos = max(text.rfind(" ", done, i) + 1, done)
        if pos < i and not text[pos:i].isalnum():   # other whitespace (newline, tab, nbsp...) may sit closer
            # after the last whitespace: the run of non-whitespace ending at the mark, found by rsplit (a C scan
            # from the right; `split` and `isspace` take the same characters) instead of a loop
            pos = i if text[i - 1].isspace() else i - len(text[pos:i].rsplit(None, 1)[-1])
        end = i + 1
        if end != n and text[end] != " ":
            end = _CHUNK_END.search(text, end).start()
        chunk = text[pos:end]
        found = opening.get(chunk, _MISSING)
        if found is _MISSING:
            found = opening[chunk] = _opening_chunk_tokens(key, chunk)
            if len(opening) > _OPENING_MAX:
                opening.clear()
                opening[chunk] = found
        if found is None:
            return None
        if found == _LAST_MARK.get(end - pos):   # the mark ends the chunk and is a token alone
            if end == n:
                break
            if text[end] == " " and end + 1 < n and text[end + 1].isalnum():
                cuts.append(end + 1)
                done = end
                continue
        done = _read_on(text, key, pos, end, found, cuts)
        if done is None:
            return None
    return cuts


def _read_on(text: str, key: str, pos: int, end: int, found, cuts: list[int]) -> int | None:
    """From the chunk text[pos:end] (its token kinds `found`) on: append the sentence starts its marks open
    and return where reading stopped (None when a chunk is left to spaCy). Shared by both cut finders."""
    n = len(text)
    seen = False   # a mark is waiting for the token that opens the next sentence
    while True:
        if found is None:
            return None
        for off, kind in found:
            if kind == _MARK:
                seen = True
            elif seen and kind == _WORD:
                cuts.append(pos + off)
                seen = False
        if not seen or end == n:
            break
        pos = _SPACE_END.search(text, end).start()
        if pos == n:
            break
        if end + 1 != pos or text[end] != " ":   # a whitespace token: not punctuation, so it opens
            cuts.append(end)
            break
        if text[pos].isalnum():                  # a chunk that starts with a word opens it
            cuts.append(pos)
            break
        end = _CHUNK_END.search(text, pos).start()
        found = _chunk_tokens(key, text[pos:end])
    return end


_MARKS = _sentence_marks()
# Every mark of the Basic Multilingual Plane, and every astral character (a class listing the ~60 astral
# marks one by one makes `re` several times slower): the loop drops the astral characters that are not marks.
_FINDER = re.compile("[" + re.escape("".join(sorted(c for c in _MARKS if c <= "\uffff"))) + "\U00010000-\U0010ffff]")
# The marks ASCII text can hold ('.', '!', '?'), found by str.find (a memchr-like scan, about 10x faster than
# `re` over a character class); the others, only in text that is not ASCII, by the same class without them.
_ASCII_MARKS = tuple(sorted(c for c in _MARKS if c.isascii()))
_OTHER_FINDER = re.compile("[" + re.escape("".join(sorted(c for c in _MARKS if "\x7f" < c <= "\uffff")))
                           + "\U00010000-\U0010ffff]")


def mark_offsets(text: str) -> list[int]:
    """Offsets of the sentence marks in `text`, in order: what `reference_mark_offsets` finds (tests compare).

    >>> mark_offsets("Hết hàng! Đặt trước?。 ok.")
    [8, 19, 20, 24]
    """
    out: list[int] = []
    kinds = 0
    for ch in _ASCII_MARKS:
        i = text.find(ch)
        if i != -1:
            kinds += 1
        while i != -1:
            out.append(i)
            i = text.find(ch, i + 1)
    if not text.isascii():
        m = _OTHER_FINDER.search(text)
        if m is not None:
            kinds += 1
        while m is not None:
            i = m.start()
            if text[i] in _MARKS:   # the class also takes every astral character
                out.append(i)
            m = _OTHER_FINDER.search(text, i + 1)
    if kinds > 1:
        out.sort()
    return out


def reference_mark_offsets(text: str) -> list[int]:
    """Offsets of the sentence marks in `text`, one pass of one expression."""
    return [m.start() for m in _FINDER.finditer(text) if text[m.start()] in _MARKS]
_MISSING = object()
_OPENING_MAX = 1 << 16
_LAST_MARK = {k: ((k - 1, _MARK),) for k in range(2, 64)}   # `found` of a chunk of k characters: its last is the mark


@functools.cache
def _opening_cache(key: str) -> dict:
    """`_opening_chunk_tokens(key, chunk)` by chunk: a plain dict, cheaper to ask than an lru_cache."""
    return {}


def cuts_by_chunks(text: str, key: str) -> list[int] | None:
    """The reference `cuts_without_spacy` must equal: one mark at a time, every chunk through the caches
    keyed by its text (None in the rare case `_chunk_tokens` leaves to spaCy).

    The sentencizer opens a sentence at the first token after a sentence mark ("." "!" "?" "。"...) that is
    neither punctuation nor a mark; whitespace other than one plain space is a token of its own. Only the
    chunks holding a mark, and those right after it, are tokenized (cached per chunk); plain words need no
    tokenizer. Tests check the cuts against the full spaCy pipeline."""
    present = _sentence_marks().intersection(text)
    if not present:
        return [0]
    cuts = [0]
    n = len(text)
    done = 0   # text before this has been read
    for m in _mark_finder(frozenset(present)).finditer(text):
        i = m.start()
        if i < done:
            continue
        pos = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
        if not text[pos:i].isalnum():   # rarer whitespace (tab, nbsp...) may sit closer
            pos = next((j + 1 for j in range(i - 1, pos - 1, -1) if text[j].isspace()), pos)
        end = _CHUNK_END.search(text, i).start()
        found = _opening_chunk_tokens(key, text[pos:end])
        done = _read_on(text, key, pos, end, found, cuts)
        if done is None:
            return None
    return cuts


def spans_from_cuts(t: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Sentence spans from sentence starts, trimmed; a list marker alone (\"1.\", \"a)\") joins the item it opens."""
    spans: list[tuple[int, int]] = []
    for a, e in strip_spans(t, zip(cuts, [*cuts[1:], len(t)])):
        # A marker ends in '.' or ')' (spans are stripped, so MARKER_ONLY's '$' is the span's end): only
        # such a span is worth the expression.
        if spans and t[spans[-1][1] - 1] in ".)" and MARKER_ONLY.match(t, spans[-1][0], spans[-1][1]):
            spans[-1] = (spans[-1][0], e)   # "1." / "a)" / "IV." opens the item, not a sentence
        else:
            spans.append((a, e))
    return spans


def spacy_sentence_cuts(docs) -> list[list[int]]:
    """Sentence starts of spaCy docs (run through the whole pipeline, sentencizer included), read in bulk."""
    out = []
    for doc in docs:
        arr = doc.to_array([SENT_START, IDX])
        cuts = arr[arr[:, 0] == 1, 1].tolist() if len(doc) else []
        if not cuts or cuts[0] != 0:
            cuts.insert(0, 0)
        out.append(cuts)
    return out
