"""Word evidence: the langid lexicon compiled once, each lowercased token classed (Vietnamese
syllable, English word, code, ...) and its counts and points packed into one integer per chunk.
"""
from __future__ import annotations

from dataclasses import dataclass
import re

from pipeline.lexicon import load
from pipeline.text.fold import fold
from pipeline.text.phrases import alternation


@dataclass(frozen=True, slots=True)
class LangResult:
    lang: str      # ISO 639-1 ('vi', 'en', 'fr', ...) or 'und'
    prob: float    # 0..1
    reason: str    # short code of what decided


CFG = load("langid")
CANDIDATE_LANGS: tuple[str, ...] = tuple(CFG["langdetect"]["candidate_langs"])
SEED = int(CFG["langdetect"].get("seed", 0))
LD_SAMPLE = int(CFG["langdetect"].get("sample_chars", 300))
RULES = CFG["rules"]


def _words(key: str, section: dict) -> frozenset[str]:
    return frozenset(section.get(key, "").split())


_VI = CFG["vi"]
_EN = CFG["en"]
_VI_ONLY = set(_VI["only_letters"]) | {chr(c) for c in range(0x1EA0, 0x1EFA)}
_VI_MARKS = _VI_ONLY | set(_VI["tone_vowels"])
_VI_LETTERS = _VI_MARKS | set("abcdefghijklmnopqrstuvwxyz")
_VI_FREQUENT = _words("frequent_syllables", _VI)
_MAX_SYLLABLE = max(map(len, _VI_FREQUENT), default=0)
_EN_STOP = _words("stop_words", _EN)
_EN_LOANS = _words("loanwords", _EN)
_EN_WORDS = _EN_STOP | _words("words", _EN) | _words("places", _EN) | _EN_LOANS
_EN_SUFFIXES = tuple((s, r) for s, r in _EN["suffixes"])
_EN_CONTRACTION_TAILS = frozenset({"t", "ll", "re", "ve", "d", "m"})
_UNITS = _words("units", CFG["neutral"])
_NEUTRAL = _UNITS | _words("id_labels", CFG["neutral"])
_ASCII_VOWELS = frozenset("aeiouy")


def _alternation(items) -> str:
    return alternation(items, escape=False)


def _syllable_regex(vi: dict) -> re.Pattern:
    """Folded Vietnamese syllable: optional onset + rhyme, with the orthographic spelling rules."""
    onsets = set(vi["onsets"].split())
    front_only = set(vi["front_only_onsets"].split())
    back_only = set(vi["back_only_onsets"].split())
    rhymes = set(vi["rhymes"].split())
    front = [r for r in rhymes if r[0] in "iey"]
    back = [r for r in rhymes if r[0] not in "iey"]
    g_rhymes = [r for r in rhymes if r[0] not in "ey"]
    qu_rhymes = [r for r in rhymes if r[0] != "u"]
    u_rhymes = [r for r in rhymes if r[0] == "u"]
    free = onsets - front_only - back_only - {"qu", "g"}
    parts = [
        f"(?:{_alternation(front_only)})(?:{_alternation(front)})",
        f"(?:{_alternation(back_only)})(?:{_alternation(back)})",
        f"qu(?:{_alternation(qu_rhymes)})",
        f"q(?:{_alternation(u_rhymes)})",  # the u of qu is the rhyme's glide: quynh, quyen
        f"g(?:{_alternation(g_rhymes)})",
        f"(?:{_alternation(free)})?(?:{_alternation(rhymes)})",
    ]
    return re.compile("(?:" + "|".join(parts) + ")")


_SYLLABLE = _syllable_regex(_VI)

# Chunks are whitespace-separated; inside a chunk that holds a digit, these delimiters separate code parts
# from words ("trọng:70kg" is a word and a code). Word tokens are letter runs, with inner apostrophes for
# English contractions.
_DELIM_SPLIT = re.compile(r"[,;:()\[\]{}<>\"|]+")
_DIGIT = re.compile(r"\d")
_TLDS = _alternation(_words("tlds", CFG["neutral"]))
_ADDRESS = re.compile(rf"""
    @                                        # an e-mail address
  | ://                                      # a URL
  | ^www\.                                   # a host name
  | [a-z0-9]\.(?:{_TLDS})(?:[/.:?#]|$)       # a domain name: shop.vn, abc.com/x
""", re.VERBOSE)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
LETTER_RE = re.compile(r"[^\W\d_]")
# Anything but Latin letters (Basic, Latin-1, Extended A/B and Additional: all Vietnamese) and "'".
NOT_LATIN = re.compile(r"[^a-z'\u00c0-\u024f\u1e00-\u1eff]")
SPACES = re.compile(" {2,}")

# Token classes (bit flags).
(NEUTRAL, VI_MARKED, VI_SYL, VI_FREQ, EN_WORD, EN_STOP, OTHER, FOREIGN, VI_COMPOUND, OTHER_FW, OTHER_ACCENTED,
 EN_LOAN) = (1 << i for i in range(12))
_OTHER_FW = frozenset(w for v in CFG.get("other_langs", {}).values() for w in v.split())

def _is_syllable(folded: str) -> bool:
    return _SYLLABLE.fullmatch(folded) is not None


def _is_compound(folded: str) -> bool:
    """True if `folded` is frequent Vietnamese syllables written together (hashtags, joined words).

    It must be two or more syllables of the frequent list (gau|bong, o|to|do|choi); a syllable that starts
    with a vowel may only follow the start or a syllable ending in a vowel (gau|om). Requiring frequent
    syllables throughout keeps English words out (cup|ca|ke fails on "cup").
    """
    n = len(folded)
    if n < 3 or n > 40 or not folded.isalpha():
        return False
    pieces = {0: 0}  # reachable position -> syllables used
    for i in range(n):
        if i not in pieces or (folded[i] in _ASCII_VOWELS and i and folded[i - 1] not in _ASCII_VOWELS):
            continue
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            if j not in pieces and folded[i:j] in _VI_FREQUENT:
                pieces[j] = pieces[i] + 1
    return pieces.get(n, 0) >= 2


def _en_lookup(tok: str) -> int:
    """0 if `tok` (apostrophes as "'") is not a known English word, else EN_WORD (| EN_STOP for a function
    word)."""
    if tok in _EN_WORDS:
        return EN_WORD | (EN_STOP if tok in _EN_STOP else 0) | (EN_LOAN if tok in _EN_LOANS else 0)
    if "'" in tok:
        head, _, tail = tok.partition("'")
        if tail == "s":  # possessive, or it's / that's
            return EN_WORD | (EN_STOP if head in _EN_STOP else 0) if head in _EN_WORDS else 0
        if tail in _EN_CONTRACTION_TAILS:  # don't, we'll, you're, I've, I'd, I'm
            return EN_WORD | EN_STOP
        return 0
    for suffix, repl in _EN_SUFFIXES:
        if len(tok) > len(suffix) + 1 and tok.endswith(suffix):
            base = tok[: -len(suffix)]
            if base + repl in _EN_WORDS:
                return EN_WORD
            # shipping → shipp → ship
            if not repl and len(base) > 2 and base[-1] == base[-2] and base[:-1] in _EN_WORDS:
                return EN_WORD
    return 0


def _classify(tok: str) -> int:
    """Class flags of one lowercased word token."""
    tok = tok.replace("’", "'")
    if tok.isascii():
        if len(tok) == 1 or tok in _NEUTRAL or not (_ASCII_VOWELS & set(tok)):
            return NEUTRAL
        syl = _is_syllable(tok)
        en = _en_lookup(tok)
        if syl:
            return VI_SYL | (VI_FREQ if tok in _VI_FREQUENT else 0) | en
        if en:
            return en
        if tok in _OTHER_FW:
            return OTHER | OTHER_FW
        return VI_COMPOUND if _is_compound(tok) else OTHER
    if NOT_LATIN.search(tok):
        return FOREIGN
    folded = fold(tok)
    if tok in _NEUTRAL or folded in _UNITS or not (_ASCII_VOWELS & set(folded)):
        return NEUTRAL
    if all(c in _VI_LETTERS for c in tok):
        if _is_syllable(folded):
            return VI_MARKED
        if _VI_ONLY & set(tok):  # Vietnamese letters, not one syllable: joined words (#xesắtmacqueen)
            return VI_COMPOUND if _is_compound(folded) else OTHER
    return OTHER | OTHER_ACCENTED | (OTHER_FW if tok in _OTHER_FW else 0)


# Counts of a sample are kept packed in one integer, one 16-bit field per count, so that a sample's counts
# are the C-level sum() of its chunks' memoised packed counts (a sample has far fewer than 65,536 tokens;
# points are stored in quarter points).
FIELDS = ("n", "marked", "syl", "other", "en", "stop", "amb", "freq", "codes", "foreign", "other_fw",
           "other_accented", "vi_pts", "en_pts")
SHIFT = {name: 16 * i for i, name in enumerate(FIELDS)}
MASK = 0xFFFF
QUARTERS = 4
WEIGHTS = {k: float(v) for k, v in RULES.items() if isinstance(v, (int, float))}


def _bit(name: str, count: float = 1) -> int:
    return int(count) << SHIFT[name]


def _points(name: str, weight_key: str) -> int:
    return _bit(name, round(WEIGHTS[weight_key] * QUARTERS))


def _pack_token(tok: str) -> int:
    """Counts and points of one lowercased word token, packed."""
    cls = _classify(tok)
    if cls & NEUTRAL:
        return 0
    packed = _bit("n") + (_bit("other_fw") if cls & OTHER_FW else 0)
    if cls & VI_MARKED:
        return packed + _bit("marked") + _points("vi_pts", "vi_marked")
    if cls & VI_SYL:
        freq = bool(cls & VI_FREQ)
        if cls & EN_WORD:
            return (packed + _bit("amb") + _points("vi_pts", "ambiguous_vi") + _points("en_pts", "ambiguous_en")
                    + (_points("vi_pts", "ambiguous_vi_frequent") if freq else 0))
        return (packed + _bit("syl") + _points("vi_pts", "vi_syllable")
                + (_bit("freq") + _points("vi_pts", "vi_frequent") if freq else 0))
    if cls & EN_WORD:
        stop = _bit("stop") + _points("en_pts", "en_stop") if cls & EN_STOP else 0
        word = _points("en_pts", "en_loan" if cls & EN_LOAN else "en_word")
        return packed + _bit("en") + word + stop
    if cls & FOREIGN:
        return packed + _bit("foreign")
    if cls & VI_COMPOUND:
        return packed + _bit("syl") + _points("vi_pts", "vi_compound")
    if cls & (OTHER_FW | OTHER_ACCENTED):  # evidence for a third language, not for English
        return packed + (_bit("other_accented") if cls & OTHER_ACCENTED else 0)
    return packed + _bit("other") + _points("vi_pts", "other_vi") + _points("en_pts", "other_en")


def _pack_words(text: str) -> int:
    return sum(_pack_token(tok) for tok in _WORD_RE.findall(text))


_SLUG_MIN_WORDS = int(RULES.get("slug_min_words", 2))


def _pack_part(part: str) -> int:
    """Packed counts of a delimiter-free part of a chunk that holds a digit: one code, or, for a slug
    (enough letter-only pieces between hyphens), its words and one code per piece with digits.

    >>> _pack_part("ao-thun-p1391347") == _pack_words("ao thun") + _bit("codes")
    True
    >>> _pack_part("sku-12345-xl") == _pack_part("toy-hcm2108-lego91998-06") == _bit("codes")
    True
    """
    if "-" in part:
        pieces = [p for p in part.split("-") if p]
        coded = sum(1 for p in pieces if _DIGIT.search(p))
        if len(pieces) - coded >= _SLUG_MIN_WORDS and len(pieces) - coded > coded:
            return sum(_bit("codes") if _DIGIT.search(p) else _pack_words(p) for p in pieces)
    return _bit("codes")


def _pack_chunk(chunk: str) -> int:
    """Packed counts of one whitespace-separated chunk (already lowercased)."""
    if _ADDRESS.search(chunk):  # e-mail address, URL or domain name: a code, whatever its letters
        return _bit("codes")
    if not _DIGIT.search(chunk):
        return _pack_words(chunk)
    packed = 0
    for part in _DELIM_SPLIT.split(chunk):
        if part:
            packed += _pack_part(part) if _DIGIT.search(part) else _pack_words(part)
    return packed


_CHUNK_MEMO: dict[str, int] = {}
_CHUNK_MEMO_MAX = 100_000


def packed_counts(low: str) -> int:
    """Packed token counts of a lowercased sample."""
    chunks = low.split()
    memo = _CHUNK_MEMO
    try:
        return sum(map(memo.__getitem__, chunks))
    except KeyError:
        if len(memo) >= _CHUNK_MEMO_MAX:
            memo.clear()
        total = 0
        for chunk in chunks:
            packed = memo.get(chunk)
            if packed is None:
                packed = memo[chunk] = _pack_chunk(chunk)
            total += packed
        return total
