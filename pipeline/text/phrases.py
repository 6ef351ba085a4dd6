"""Phrase matching: the one place where lists of words or patterns become regular expressions.

- `alternation(items)`: literal items as one alternation, longest first (so "đổi trả" is tried before
  "đổi"), each escaped, optionally with its spaces matching any run of a given pattern;
- `union(patterns)`: regular-expression sources (from the lexicon) as one alternation, in their order;
- `trie(phrases)`: whole-word phrases on folded text as a character trie, so that a position is tried
  against hundreds of phrases in one pass (the fact grammar's cues);
- `PhraseSet`: a whole-word matcher for phrases that ignores case and tone-mark placement, letter by letter
  as written: a span matches a phrase when its folded form is the phrase's and every letter it writes with a
  mark has that mark in the phrase (a letter without marks stands for any), so a text typed with
  diacritics, without them or half without them (a phone keyboard dropping marks on some words) is matched
  word by word. Every form keeps the text's length, so match offsets are offsets into the original text.
"""
from __future__ import annotations

import functools
import re
from array import array
from itertools import chain, compress
from operator import itemgetter, sub

from .fold import fold, forms, written_form  # forms: the two forms PhraseSet matches (shared with match_form)

WORD_START = r"(?<![a-z0-9])"   # on folded text (folded Vietnamese letters are ASCII)
WORD_END = r"(?![a-z0-9])"
_ALNUM = re.compile(r"[a-z0-9]")
PHRASE_GAP = re.compile(r"[\s\-_/]+")   # the separators a phrase may vary in ("e-commerce", "free_ship")
PHRASE_KEY_CACHE = 8192   # matched phrases remembered by `phrase_key`: a few thousand distinct texts of cue,
                          # unit and bound words come back on every block (issue 16: 24,000 calls a 1,000 bench listings)


@functools.lru_cache(maxsize=PHRASE_KEY_CACHE)
def phrase_key(phrase: str) -> str:
    """Lookup key of a phrase or of matched text: folded, without the separators a phrase may vary in.

    >>> phrase_key("Đổi - trả"), phrase_key("free_shipping"), phrase_key("30 ngày")
    ('doitra', 'freeshipping', '30ngay')
    >>> phrase_key("Your e-Commerce") == phrase_key("your ecommerce")
    True
    """
    return PHRASE_GAP.sub("", fold(phrase))


def alternation(items, *, escape: bool = True, space: str | None = None) -> str:
    r"""Items as 'a|b|c', longest first (ties in code-point order), duplicates dropped.

    >>> alternation(["ship", "phí ship", "ship"])
    'phí\\ ship|ship'
    >>> alternation(["cm", "m", "m2"], escape=False)
    'cm|m2|m'
    >>> alternation(["k m", "km"], space=r"\s*")
    'k\\s*m|km'
    """
    def source(item: str) -> str:
        if space is not None:
            return space.join(re.escape(w) if escape else w for w in item.split())
        return re.escape(item) if escape else item
    return "|".join(source(i) for i in sorted(set(items), key=lambda s: (-len(s), s)))


def union(patterns) -> str:
    """Regular-expression sources as one alternation, each in its own group, in the given order (the
    first that matches at a position wins).

    >>> union(["a+", "b|c"])
    '(?:a+)|(?:b|c)'
    """
    return "|".join(f"(?:{p})" for p in patterns)


def trie(phrases, gap: str = r"[\s\-_/]*") -> str:
    """Whole-word alternation of folded phrases as a character trie: a position is tried against all
    phrases in one pass (hundreds cost little more than one) and longer phrases are tried first ("đổi
    trả" before "đổi"). A space inside a phrase matches `gap`; a phrase ending in a letter or digit must
    end a word.

    >>> re.findall(trie(["doi tra", "doi"]), "doi-tra, doi")
    ['doi-tra', 'doi']
    """
    root: dict = {}
    for p in {" ".join(fold(p).split()) for p in phrases}:
        node = root
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict, last: str) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            step = gap if ch == " " else re.escape(ch)
            branches.append(step + walk(node[ch], ch))
        if "" in node:   # a phrase ends here: whole word if it ends in a letter or digit
            branches.append(WORD_END if _ALNUM.match(last) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    words = {k: v for k, v in root.items() if _ALNUM.match(k)}
    signs = {k: v for k, v in root.items() if k not in words}
    parts = ([WORD_START + walk(words, "")] if words else []) + ([walk(signs, "")] if signs else [])
    return "(?:" + "|".join(parts) + ")"



# Every PhraseSet's phrases (both forms) in one Aho-Corasick automaton: one scan of a text tells which phrases
# occur in it at all, for every PhraseSet at once. A phrase's expression can only match where the phrase is a
# substring, so a set none of whose phrases occurs skips its expression (most blocks hold none).
_PATTERNS: dict[str, int] = {}
_AUTOMATON: list = []   # [the automaton] once built; a PhraseSet made later adds its phrases and rebuilds it
_PATTERN_ID = itemgetter(0)   # of a match (pattern id, start, end): taken in C, not by a generator


def _register(phrases: set[str]) -> frozenset[int]:
    new = [p for p in sorted(phrases) if p not in _PATTERNS]
    for p in new:
        _PATTERNS[p] = len(_PATTERNS)
    if new and _AUTOMATON:
        _AUTOMATON.clear()
        _scan.cache_clear()
    return frozenset(_PATTERNS[p] for p in phrases)


@functools.lru_cache(maxsize=8192)
def _scan(form: str) -> tuple[frozenset[int], array] | None:
    """(ids of the registered phrases that occur in `form`, every occurrence as id, start, end in characters,
    overlapping ones included, flat in one array: a tenth of the memory of a list of tuples), from one pass
    over it; None when the scan cannot read the text (a lone surrogate, which no input holds). Cached: the
    stages ask for the same blocks' forms."""
    if not _AUTOMATON:
        import ahocorasick_rs
        _AUTOMATON.append(ahocorasick_rs.AhoCorasick(list(_PATTERNS)))
    try:
        found = _AUTOMATON[0].find_matches_as_indexes(form, overlapping=True)
    except UnicodeEncodeError:
        return None
    return frozenset(map(_PATTERN_ID, found)), array("q", chain.from_iterable(found))


def present(form: str) -> frozenset[int] | None:
    """Ids of the registered phrases that occur in `form` as substrings (one pass over it, cached); None when
    the scan cannot read the text (a lone surrogate, which no input holds)."""
    scan = _scan(form)
    return None if scan is None else scan[0]


def scan_ids(phrases) -> frozenset[int]:
    """Folded phrases joined to the shared scan (as a PhraseSet's are), for a caller that reads their
    occurrences itself (`scan_spans`): their ids."""
    return _register(set(phrases) - {""})


def scan_spans(form: str, ids: frozenset[int]) -> list[tuple[int, int]] | None:
    """(start, end) of every occurrence of the phrases `ids` (`scan_ids`) in `form`, overlapping ones included,
    read off the shared scan (cached: the block's other phrases were looked for in the same pass) and taken out
    in C; None when the scan cannot read the text (a lone surrogate, which no input holds)."""
    scan = _scan(form)
    if scan is None:
        return None
    if ids.isdisjoint(scan[0]):
        return []
    found = scan[1]
    return list(compress(zip(found[1::3], found[2::3]), map(ids.__contains__, found[0::3])))


def _sorted_hits(found, ids: frozenset[int]) -> list[tuple[int, int, int]]:
    """The occurrences of the phrases `ids` in a scan's flat (id, start, end) array as (start, start - end, end),
    sorted: leftmost first, the longest first at one place. Built and filtered by C iterators, not a generator's
    test per occurrence (`_sorted_hits_reference`; tests compare)."""
    starts, ends = found[1::3], found[2::3]
    return sorted(compress(zip(starts, map(sub, starts, ends), ends), map(ids.__contains__, found[0::3])))


def _sorted_hits_reference(found, ids: frozenset[int]) -> list[tuple[int, int, int]]:
    return sorted((s, s - e, e) for i, s, e in zip(found[0::3], found[1::3], found[2::3]) if i in ids)


def _is_word(ch: str) -> bool:
    """`re`'s \\w on one character of a str: alphanumeric (str.isalnum) or '_'."""
    return ch.isalnum() or ch == "_"


def _word_bounded(items: set[str]) -> re.Pattern:
    """The phrases as one whole-word expression (`_by_first_char`'s fallback for a set holding an empty phrase)."""
    return re.compile(rf"(?<![\w])(?:{alternation(items)})(?![\w])")


def _by_first_char(items: set[str]) -> re.Pattern:
    r"""The same expression with the word-start check after each phrase's first character: a pattern
    that opens with a lookbehind makes `re` try it at every position, while one that opens with a
    character lets `re` skip to the characters a phrase can start with (about a third less time on
    block text). `(?<!\w.)` after one character asks what `(?<![\w])` asked before it.

    >>> _by_first_char({"ship", "shop", "x"}).pattern
    '(?:s(?<!\\w.)(?:hip|hop)|x(?<!\\w.)(?:))(?![\\w])'
    """
    by_first: dict[str, set[str]] = {}
    for item in items:
        if item:
            by_first.setdefault(item[0], set()).add(item[1:])
    if "" in items or not by_first:   # an empty phrase matches anywhere: no first character to check
        return _word_bounded(items)
    branches = "|".join(rf"{re.escape(c)}(?<!\w.)(?:{alternation(rest)})" for c, rest in sorted(by_first.items()))
    return re.compile(rf"(?:{branches})(?![\w])", re.DOTALL)


_MORE_THAN_A_WORD = re.compile(r"[^a-z0-9]")   # a space, hyphen or sign inside a folded span
_SPAN = re.compile(".*", re.DOTALL)   # a match object for a span found without an expression: .match(s, start, end)
_NONE = iter(())   # no match (an exhausted iterator: nothing to make per call)


def written_by_fold(phrases) -> dict[str, frozenset[str]]:
    """Folded phrase -> its forms as written (`fold.written_form`: lower case, one tone placement), the table
    `agrees` reads a span's marks against.

    >>> written_by_fold(["Đổi trả", "đổi trả", "DOI"]) == {"doi tra": {"đổi trả"}, "doi": {"doi"}}
    True
    """
    out: dict[str, set[str]] = {}
    for p in phrases:
        w = written_form(p)
        out.setdefault(fold(w), set()).add(w)
    return {key: frozenset(forms) for key, forms in out.items()}


def agrees(written: str, folded: str, s: int, e: int, forms_written) -> bool:
    """Every letter `written[s:e]` writes with a mark is the letter of one of `forms_written` (phrases as
    written, lower case, of the span's folded form) at its place; a letter without marks stands for any.

    >>> [agrees(w, fold(w), 0, 7, {"đổi trả"}) for w in ("đổi trả", "đổi tra", "doi tra", "đổi trá", "đỗi trả")]
    [True, True, True, False, False]
    """
    w = written[s:e]
    if w in forms_written:
        return True
    f = folded[s:e]
    if w == f and not _MORE_THAN_A_WORD.search(f):   # one word written without a mark in a marked text is
        return False   # a word of its own ("hay" or, not "hãy"; "cung" bow, not "cũng"): zones10's rule, as written
    return any(all(c == d or c == g for c, d, g in zip(w, form, f)) for form in forms_written)


def as_written_spans(folded: str, written: str | None, hits, written_by_fold: dict, start: int = 0):
    """Whole-word matches as written, from the occurrences `hits` ((start, end) pairs, any order, overlapping
    ones included) of folded phrases in `folded`: the leftmost occurrence at or after `start` with no word
    character either side whose marked letters agree with a phrase of its folded form (`written_by_fold`:
    folded phrase -> its forms as written; `written` None: the text writes no mark, every one agrees), the
    longest first at one position, then on from its end (as `re` finds an alternation of the phrases).

    >>> t = "đổi trá, đổi tra"
    >>> list(as_written_spans(fold(t), t, [(0, 3), (0, 7), (9, 12), (9, 16)], {"doi": {"đổi"}, "doi tra": {"đổi trả"}}))
    [(0, 3), (9, 16)]
    """
    return _whole_written(folded, written, sorted((s, s - e, e) for s, e in hits), written_by_fold, start)


def _whole_written(folded: str, written: str | None, hits: list[tuple[int, int, int]], written_by_fold: dict,
                   start: int = 0):
    """`as_written_spans` of occurrences already sorted as (start, start - end, end) (`_sorted_hits`)."""
    done, n = start, len(folded)
    for s, _, e in hits:
        if s < done or (s and _is_word(folded[s - 1])) or (e < n and _is_word(folded[e])):
            continue
        if written is None or agrees(written, folded, s, e, written_by_fold[folded[s:e]]):
            yield s, e
            done = e


class PhraseSet:
    """Whole-word matcher for a list of phrases, ignoring case and tone-mark placement, letter by letter
    as written: a phrase matches a span when the span's folded form is the phrase's folded form and every
    letter the span writes with a mark has that mark in the phrase. A letter written without marks stands
    for any ("doi tra" and "đổi tra", half-marked, are "đổi trả"); a marked letter must agree ("nhãn hàng",
    a brand, is no "nhận hàng", receiving goods). So a marked text, its unaccented form and any mix of the
    two give the same matches of a correctly written phrase. Matches are whole words, leftmost first, the
    longest phrase that matches at a position, then on from its end (as `re` finds an alternation); offsets
    are into the text (every form keeps its length); a match's group is the span folded.

    >>> ps = PhraseSet(["đổi trả", "đổi", "nhận hàng"])
    >>> t = "ĐỔI TRẢ hay doi tra, đổi tra, đỗi trả; nhãn hàng, nhan hàng"
    >>> [t[m.start():m.end()] for m in ps.finditer(t)]
    ['ĐỔI TRẢ', 'doi tra', 'đổi tra', 'nhan hàng']
    >>> [m.span() for m in ps.finditer("đổi trá")]   # "trá" is no "trả": the shorter phrase at that place
    [(0, 3)]

    The folded text is searched once with the folded phrases' expression and each hit's marked letters are
    checked against the phrases of its folded form (hits are few and most pass); from a hit that does not
    pass on, the matches are read off the shared scan's occurrences (`_as_written_from`). Most blocks hold
    none of the phrases: one shared Aho-Corasick scan (`present`) skips the expression for them.
    `reference_finditer` (a plain walk over positions) is what the fast paths must equal (tests check)."""

    def __init__(self, phrases: list[str]):
        self.phrases = phrases
        self._written = written_by_fold(phrases)
        folded = set(self._written)
        self._folded = _by_first_char(folded)
        self._exact = frozenset(w for forms in self._written.values() for w in forms)   # every form as written
        self._always = "" in folded   # an empty phrase matches without being found
        self._ids = _register(folded - {""})
        by_first: dict[str, list[str]] = {}
        for key in sorted(folded, key=lambda k: (-len(k), k)):   # longest first, as `alternation` orders
            by_first.setdefault(key[:1], []).append(key)
        self._by_first = by_first

    def _agrees(self, written: str, folded: str, s: int, e: int) -> bool:
        return agrees(written, folded, s, e, self._written[folded[s:e]])

    def _checked(self, folded: str, written: str):
        """The folded expression's matches whose marks agree: all of them, as they are, when every one is
        written as a phrase is (most texts); else the matches from the first that is not, checked."""
        found = list(self._folded.finditer(folded))
        exact = self._exact
        for k, m in enumerate(found):
            s, e = m.span()
            if written[s:e] not in exact:
                return chain(found[:k], self._checked_from(folded, written, found, k))
        return iter(found)

    def _checked_from(self, folded: str, written: str, found: list, k: int):
        for m in found[k:]:
            s, e = m.span()
            if not self._agrees(written, folded, s, e):
                yield from (_SPAN.match(folded, s, e) for s, e in self._as_written_from(folded, written, s))
                return
            yield m

    def _as_written_from(self, folded: str, written: str, start: int):
        """The matches from `start` on (no match spans it), read off the shared scan's occurrences
        (`as_written_spans`)."""
        scan = _scan(folded)
        if scan is None:
            yield from self._reference_spans(folded, written, start)
            return
        found = scan[1]
        ids = self._ids
        hits = [(s, e) for i, s, e in zip(found[0::3], found[1::3], found[2::3]) if s >= start and i in ids]
        yield from as_written_spans(folded, written, hits, self._written, start)

    def _reference_spans(self, folded: str, written: str | None, start: int = 0):
        """The rule itself, position by position: at each, the longest phrase whose folded form is there
        with no word character either side and whose marks agree (an empty phrase matches anywhere but
        right after an empty match, as in `re`)."""
        n, i, empty_at = len(folded), start, -1
        while i <= n:
            for key in self._by_first.get(folded[i:i + 1], []) + self._by_first.get("", []):
                e = i + len(key)
                if (not folded.startswith(key, i) or (i and _is_word(folded[i - 1])) or (e < n and _is_word(folded[e]))
                        or (e == i and empty_at == i)):
                    continue
                if written is None or self._agrees(written, folded, i, e):
                    break
            else:
                i += 1
                continue
            yield i, e
            if e == i:
                empty_at = i
            else:
                i = e

    def reference_finditer(self, text: str):
        folded, written = forms(text)
        return (_SPAN.match(folded, s, e) for s, e in self._reference_spans(folded, written))

    def finditer(self, text: str):
        folded, written = forms(text)
        if self._always:
            return self.reference_finditer(text)
        hits = present(folded)
        if hits is not None and self._ids.isdisjoint(hits):
            return _NONE
        if written is None:   # no marked letter: every hit of the folded expression matches
            return self._folded.finditer(folded)
        return self._checked(folded, written)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the matches `finditer` gives (`reference_finditer`), read off the shared scan's
        occurrences instead of running the expression (each occurrence's marks checked, in a text with marks)."""
        folded, written = forms(text)
        scan = None if self._always else _scan(folded)
        if scan is None:
            return [m.span() for m in self.reference_finditer(text)]
        if self._ids.isdisjoint(scan[0]):
            return []
        return list(_whole_written(folded, written, _sorted_hits(scan[1], self._ids), self._written))

    def count(self, text: str) -> int:
        """How many matches `finditer` gives (`reference_count`): `spans`."""
        return len(self.spans(text))

    def reference_count(self, text: str) -> int:
        return sum(1 for _ in self.reference_finditer(text))

    def search(self, text: str):
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> bool:
        key = text.strip(" :.-#*•|").strip()
        m = self.search(key)
        return bool(m) and m.start() == 0 and m.end() == len(key)
