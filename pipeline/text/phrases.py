"""Phrase matching: the one place where lists of words or patterns become regular expressions.

- `alternation(items)`: literal items as one alternation, longest first (so "đổi trả" is tried before
  "đổi"), each escaped, optionally with its spaces matching any run of a given pattern;
- `union(patterns)`: regular-expression sources (from the lexicon) as one alternation, in their order;
- `trie(phrases)`: whole-word phrases on folded text as a character trie, so that a position is tried
  against hundreds of phrases in one pass (the fact grammar's cues);
- `PhraseSet`: a whole-word matcher for phrases that ignores case and tone-mark placement: a text that
  carries Vietnamese diacritics is matched with its diacritics, a text typed without them on its folded
  form (`pipeline.text.fold.match_form`). Both forms keep the text's length, so match offsets are offsets
  into the original text.
"""
from __future__ import annotations

import functools
import re
from array import array
from itertools import chain
from operator import itemgetter

from .fold import fold, match_form, retone

WORD_START = r"(?<![a-z0-9])"   # on folded text (folded Vietnamese letters are ASCII)
WORD_END = r"(?![a-z0-9])"
_ALNUM = re.compile(r"[a-z0-9]")


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


def _count_whole(form: str, found, ids: frozenset[int]) -> int:
    """How many matches `re` finds of a whole-word alternation of literal phrases (`_by_first_char`), read
    off the scan's occurrences: the leftmost occurrence with no word character either side, the longest
    first at one position, then on from its end (what `re` does with an alternation of literals between
    two word-boundary checks; tests compare)."""
    hits = sorted((s, s - e, e) for i, s, e in zip(found[0::3], found[1::3], found[2::3]) if i in ids)
    count, done, n = 0, 0, len(form)
    for s, _, e in hits:
        if s < done or (s and _is_word(form[s - 1])) or (e < n and _is_word(form[e])):
            continue
        count += 1
        done = e
    return count


def _is_word(ch: str) -> bool:
    """`re`'s \\w on one character of a str: alphanumeric (str.isalnum) or '_'."""
    return ch.isalnum() or ch == "_"


def _word_bounded(items: set[str]) -> re.Pattern:
    """The phrases as one whole-word expression: the reference `_by_first_char` must equal."""
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


class PhraseSet:
    """Whole-word matcher for a list of phrases, in both match forms.

    Most blocks hold none of the phrases: a phrase can only match where it is a substring of the block, so
    one shared scan (`present`) skips the regular expression for them; `reference_finditer` is the
    expression alone, which the skip must equal (tests check)."""

    def __init__(self, phrases: list[str]):
        self.phrases = phrases
        accented = {retone(p.lower()) for p in phrases}
        folded = {fold(p) for p in phrases}
        self._accented, self._folded = _by_first_char(accented), _by_first_char(folded)
        self._reference = _word_bounded(accented), _word_bounded(folded)
        self._always = "" in accented | folded   # an empty phrase matches without being found
        self._ids = _register((accented | folded) - {""})
        self._form_ids = _register(accented - {""}), _register(folded - {""})   # by match form: as written, folded

    def reference_finditer(self, text: str):
        form, folded = match_form(text)
        return self._reference[folded].finditer(form)

    def finditer(self, text: str):
        form, folded = match_form(text)
        if not self._always:
            hits = present(form)
            if hits is not None and self._ids.isdisjoint(hits):
                return iter(())
        return (self._folded if folded else self._accented).finditer(form)

    def count(self, text: str) -> int:
        """How many matches `finditer` gives (`reference_count`), read off the shared scan's occurrences
        instead of running the expression."""
        form, folded = match_form(text)
        scan = None if self._always else _scan(form)
        if scan is None:
            return self.reference_count(text)
        if self._ids.isdisjoint(scan[0]):
            return 0
        return _count_whole(form, scan[1], self._form_ids[folded])

    def reference_count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))

    def search(self, text: str):
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> bool:
        key = text.strip(" :.-#*•|").strip()
        m = self.search(key)
        return bool(m) and m.start() == 0 and m.end() == len(key)
