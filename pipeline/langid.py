"""Block language identification: cheap word rules first, seeded langdetect only when they cannot tell.

Marketplace listings mix Vietnamese and English in blocks of 1 to 3,000 characters. Plain langdetect is
slow (most of the pipeline's cost when run on every block) and wrong exactly where listings are full of
text: short lines, ALL-CAPS headings (langdetect skips words written in capitals), Vietnamese typed without
diacritics, and lines that are mostly numbers or codes. `detect` decides from a bounded sample of the block
(the first 160 characters, cut at a word boundary; the first 480 when that is not clear-cut), so its cost
does not grow with the block, in this order:

1. Tokens. The sample is lowercased (ALL-CAPS reads like any other text) and split on whitespace into
   chunks. A chunk with a digit is a *code* (``C51071``, ``TOY-HCM2108``, ``27kg/22kg``, ``199.000đ``),
   except for parts separated by ``: , ; ( )`` that hold no digit (``trọng:70kg`` is a word and a code).
   Words are letter runs. Words with no language evidence are dropped: single ASCII letters, words
   without a vowel (``sdt``, ``gw``, ``ctn``), units (``cm``, ``kg``, ``pcs``) and identifier-field
   labels (``Model``, ``SKU``, ``Hotline``, ``Mã vạch``).
2. ``und``. Nothing left: ``und`` with reason ``codes`` (there were codes), ``too-short`` (only dropped
   words) or ``no-letters``. A block with codes and at most ``code_max_words`` words, none of them strong
   evidence, is ``und``/``codes`` too: ``Hotline: 0358331086``, ``RASTAR R76000/RED``, ``EN 61000-3-2``.
3. Other scripts. When letters of a script that names one candidate language (Hangul, kana, Thai) are
   most of the letters, that language wins (``script``); other non-Latin text goes to langdetect.
4. Word evidence. Each word is classed once (memoised per chunk) through its folded form
   (`pipeline.normalize.fold`), with lists and weights from ``lexicon/langid.toml``:
   - *vi_marked*: Vietnamese diacritics (ă â đ ê ô ơ ư ĩ ũ, U+1EA0–U+1EF9, or a tone-marked vowel) on a
     word whose folded form is a valid Vietnamese syllable (so French ``être`` or Portuguese ``você`` are
     not Vietnamese);
   - *vi_syllable*: plain ASCII, a valid Vietnamese syllable by phonotactics (onset + rhyme, with the
     k/c, gh/g, ngh/ng spelling rules; the inventories are data) and not an English word, with extra
     weight for the 300 most frequent syllables. This recognises Vietnamese typed without diacritics
     (``mien phi van chuyen toan quoc``); English words rarely pass (``and``, ``with``, ``get`` do not);
   - *vi_compound*: frequent syllables written together (hashtags: ``#gaubong``, ``#dochoithongminh``);
   - *ambiguous*: both a Vietnamese syllable and an English word (``to``, ``in``, ``the``, ``not``): a
     little evidence for both;
   - *en_word*: an English function word or common word (after stripping ``-s``, ``-ing``, ``-ed``...);
     function words weigh more, loanwords common in Vietnamese listings (``size``, ``shop``) less;
   - *other*: none of these (brand names, rarer English words): weak evidence for English.
   A language wins with at least ``min_points`` and ``ratio`` times the other's points (reasons
   ``vi-letters``, ``vi-syllables``, ``en-words``; ``prob`` grows with the margin). Close calls: a block
   with Vietnamese-marked words and no English function word is Vietnamese framing English names or
   nouns (``vi-mixed``: ``Flame Red + Gói quà``); a short plain-ASCII block with no Vietnamese evidence
   and no function word of another language is English (``en-default``, low prob: ``DISNEY PRINCESS``).
5. langdetect, for what is left (~0.5% of real listing lines): seeded (seed 0), on the lowercased first
   ~300 characters. When the words showed nothing of a third language (no other-language function word,
   no foreign diacritics or script) it chooses between the vi and en profiles only
   (``langdetect-vi-en``); otherwise among the ``CANDIDATE_LANGS`` profiles, with a prior leaning to vi
   and en (``langdetect``). Factories load only those profiles, lazily, once per process.
   `_FastDetector` is langdetect's Detector with memoised per-character lookups and an inlined sampling
   loop: same random draws, same floating-point operations in the same order, so the same answers.

Results are memoised in a bounded LRU cache keyed on the exact text (listing boilerplate repeats across
listings). A hit returns the very same `LangResult`, original reason included, so a result never depends
on what was detected before. `detect` never raises: on an internal error it returns ``und``/``error``.

`detect_plain` is the baseline: seeded langdetect with all 55 profiles, on the raw text.
"""
from __future__ import annotations

import functools
import json
import os
import re
import threading
import unicodedata
from dataclasses import dataclass

from pipeline.lexicon import load
from pipeline.text.fold import fold
from pipeline.text.phrases import alternation

__all__ = ["CANDIDATE_LANGS", "LangResult", "detect", "detect_plain", "new_factory"]


@dataclass(frozen=True, slots=True)
class LangResult:
    lang: str      # ISO 639-1 ('vi', 'en', 'fr', ...) or 'und'
    prob: float    # 0..1
    reason: str    # short code of what decided


_CFG = load("langid")
CANDIDATE_LANGS: tuple[str, ...] = tuple(_CFG["langdetect"]["candidate_langs"])
_SEED = int(_CFG["langdetect"].get("seed", 0))
_LD_SAMPLE = int(_CFG["langdetect"].get("sample_chars", 300))
_RULES = _CFG["rules"]


def _words(key: str, section: dict) -> frozenset[str]:
    return frozenset(section.get(key, "").split())


# ---------------------------------------------------------------------------------------------- lexicon
_VI = _CFG["vi"]
_EN = _CFG["en"]
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
_UNITS = _words("units", _CFG["neutral"])
_NEUTRAL = _UNITS | _words("id_labels", _CFG["neutral"])
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
_TLDS = _alternation(_words("tlds", _CFG["neutral"]))
_ADDRESS = re.compile(rf"@|://|^www\.|[a-z0-9]\.(?:{_TLDS})(?:[/.:?#]|$)")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LETTER_RE = re.compile(r"[^\W\d_]")
# Anything but Latin letters (Basic, Latin-1, Extended A/B and Additional: all Vietnamese) and "'".
_NOT_LATIN = re.compile(r"[^a-z'\u00c0-\u024f\u1e00-\u1eff]")
_SPACES = re.compile(" {2,}")

# Token classes (bit flags).
(NEUTRAL, VI_MARKED, VI_SYL, VI_FREQ, EN_WORD, EN_STOP, OTHER, FOREIGN, VI_COMPOUND, OTHER_FW, OTHER_ACCENTED,
 EN_LOAN) = (1 << i for i in range(12))
_OTHER_FW = frozenset(w for v in _CFG.get("other_langs", {}).values() for w in v.split())

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
    if _NOT_LATIN.search(tok):
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
_FIELDS = ("n", "marked", "syl", "other", "en", "stop", "amb", "freq", "codes", "foreign", "other_fw",
           "other_accented", "vi_pts", "en_pts")
_SHIFT = {name: 16 * i for i, name in enumerate(_FIELDS)}
_MASK = 0xFFFF
_QUARTERS = 4
_W = {k: float(v) for k, v in _RULES.items() if isinstance(v, (int, float))}


def _bit(name: str, count: float = 1) -> int:
    return int(count) << _SHIFT[name]


def _points(name: str, weight_key: str) -> int:
    return _bit(name, round(_W[weight_key] * _QUARTERS))


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


def _pack_chunk(chunk: str) -> int:
    """Packed counts of one whitespace-separated chunk (already lowercased)."""
    if _ADDRESS.search(chunk):  # e-mail address, URL or domain name: a code, whatever its letters
        return _bit("codes")
    if not _DIGIT.search(chunk):
        return _pack_words(chunk)
    packed = 0
    for part in _DELIM_SPLIT.split(chunk):
        if part:
            packed += _bit("codes") if _DIGIT.search(part) else _pack_words(part)
    return packed


_CHUNK_MEMO: dict[str, int] = {}
_CHUNK_MEMO_MAX = 100_000


def _packed_counts(low: str) -> int:
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


# ---------------------------------------------------------------------------------------------- scripts
def _script_table(cfg: dict) -> list[tuple[str, list[tuple[int, int]]]]:
    return [(v["lang"], [(int(a), int(b)) for a, b in v["ranges"]]) for v in cfg.get("scripts", {}).values()]


_SCRIPTS = _script_table(_CFG)


def _script_lang(letters: str) -> str | None:
    """The candidate language whose script has most of `letters` (non-Latin letters only), if any."""
    counts: dict[str, int] = {}
    for ch in letters:
        cp = ord(ch)
        for lang, ranges in _SCRIPTS:
            if any(a <= cp <= b for a, b in ranges):
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    return lang if n * 2 > len(letters) and lang in CANDIDATE_LANGS else None


# ---------------------------------------------------------------------------------------------- sample
def _sample(text: str, limit: int) -> str:
    """At most `limit` characters from the start of `text`, cut back to a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit + 1)
    if cut < 0:
        cut = max(text.rfind("\n", limit // 2, limit + 1), text.rfind("\t", limit // 2, limit + 1))
    return text[: cut if cut > 0 else limit]


# ---------------------------------------------------------------------------------------------- langdetect
def _make_fast_detector_class():
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException
    from langdetect.utils.ngram import NGram
    from langdetect.utils.unicode_block import unicode_block

    normalize_char = functools.lru_cache(maxsize=None)(NGram.normalize)

    @functools.lru_cache(maxsize=None)
    def latin_kind(ch: str) -> int:
        """1 for an ASCII letter, 2 for a letter langdetect counts as non-Latin, 0 otherwise."""
        if "A" <= ch <= "z":
            return 1
        if ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional":
            return 2
        return 0

    class _FastDetector(Detector):
        """langdetect's Detector with its per-character and per-iteration Python work made cheaper.

        Same algorithm, same floating-point operations in the same order and the same random draws as
        langdetect 1.0.9's Detector, so the same answers on the same profiles: per-character lookups are
        memoised, method calls are inlined into the sampling loop, and vectors are updated with list
        comprehensions.
        """

        def append(self, text):
            text = self.URL_RE.sub(" ", text)
            text = self.MAIL_RE.sub(" ", text)
            text = NGram.normalize_vi(text)[: self.max_text_length]
            self.text += _SPACES.sub(" ", text)

        def cleaning_text(self):
            kinds = [latin_kind(ch) for ch in self.text]
            if kinds.count(1) * 2 < kinds.count(2):
                self.text = "".join(ch for ch in self.text if ch < "A" or "z" < ch)

        def _extract_ngrams(self):
            wmap = self.word_lang_prob_map
            result = []
            grams, capital = " ", False
            for ch in self.text:
                ch = normalize_char(ch)
                last = grams[-1]
                if last == " ":
                    grams, capital = " ", False
                    if ch == " ":
                        continue
                elif len(grams) >= 3:
                    grams = grams[1:]
                grams += ch
                if ch.isupper():
                    if last.isupper():
                        capital = True
                else:
                    capital = False
                if capital:
                    continue
                if ch != " " and ch in wmap:
                    result.append(ch)
                size = len(grams)
                if size >= 2:
                    if grams[-2:] in wmap:
                        result.append(grams[-2:])
                    if size >= 3 and grams in wmap:
                        result.append(grams)
            return result

        def _detect_block(self):
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            rows = [self.word_lang_prob_map[w] for w in ngrams]
            count = len(rows)
            n_lang = len(self.langlist)
            langprob = [0.0] * n_lang
            rnd = self.random
            rnd.seed(self.seed)
            randbelow = rnd._randbelow
            limit, conv, n_trial = self.ITERATION_LIMIT, self.CONV_THRESHOLD, self.n_trial
            for _ in range(n_trial):
                prob = self._init_probability()
                alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                weight = alpha / self.BASE_FREQ
                i = 0
                while True:
                    row = rows[randbelow(count)]
                    prob = [p * (weight + q) for p, q in zip(prob, row)]
                    if i % 5 == 0:
                        sump = sum(prob)
                        prob = [p / sump for p in prob]
                        if max(prob) > conv or i >= limit:
                            break
                    i += 1
                for j in range(n_lang):
                    langprob[j] += prob[j] / n_trial
            self.langprob = langprob

    return _FastDetector


def new_factory(langs: tuple[str, ...] | None = None, seed: int = _SEED):
    """A fresh seeded langdetect DetectorFactory with the profiles of `langs` (all profiles if None)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.utils.lang_profile import LangProfile

    factory = DetectorFactory()
    factory.seed = seed
    names = sorted(os.listdir(PROFILES_DIRECTORY)) if langs is None else list(langs)
    names = [n for n in names if not n.startswith(".")]
    for index, name in enumerate(names):
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as fh:
            factory.add_profile(LangProfile(**json.load(fh)), index, len(names))
    return factory


_lock = threading.Lock()
_factories: dict[str, object] = {}


def _factory(kind: str):
    f = _factories.get(kind)
    if f is None:
        with _lock:
            f = _factories.get(kind)
            if f is None:
                langs = {"candidates": CANDIDATE_LANGS, "vi-en": ("vi", "en"), "all": None}[kind]
                f = new_factory(langs)
                _factories[kind] = f
    return f


_DetectorClass = None


def _prior_map() -> dict[str, float] | None:
    prior = _CFG["langdetect"].get("prior")
    if not prior:
        return None
    other = float(_CFG["langdetect"].get("prior_other", 0.0))
    return {lang: float(prior.get(lang, other)) for lang in CANDIDATE_LANGS}


_PRIOR = _prior_map()


def _langdetect(text: str, factory, fast: bool, prior: dict | None) -> LangResult:
    global _DetectorClass
    from langdetect.lang_detect_exception import LangDetectException

    if fast:
        if _DetectorClass is None:
            _DetectorClass = _make_fast_detector_class()
        detector = _DetectorClass(factory)
    else:
        detector = factory.create()
    if prior:
        detector.set_prior_map(prior)
    detector.append(text)
    try:
        langs = detector.get_probabilities()
    except LangDetectException:
        return LangResult("und", 1.0, "no-features")
    if not langs:
        return LangResult("und", 0.0, "langdetect-unsure")
    best = langs[0]
    return LangResult(best.lang, round(min(1.0, max(0.0, float(best.prob))), 4), "langdetect")


def detect_plain(text: str) -> LangResult:
    """Plain seeded langdetect over all its profiles, on the raw text (the baseline)."""
    try:
        return _langdetect(str(text), _factory("all"), fast=False, prior=None)
    except Exception:  # noqa: BLE001 - the baseline must not take a pipeline down either
        return LangResult("und", 0.0, "error")


# ---------------------------------------------------------------------------------------------- rules
_CODE_MAX_WORDS = int(_RULES.get("code_max_words", 2))
_EN_DEFAULT_MAX = int(_RULES.get("en_default_max_words", 0))
_EN_DEFAULT_PROB = float(_RULES.get("en_default_prob", 0.55))
_WINDOWS = tuple(int(x) for x in _CFG["features"].get("windows", [400]))
_EARLY_POINTS = float(_CFG["features"].get("early_min_points", 6.0))
_EARLY_RATIO = float(_CFG["features"].get("early_ratio", 3.0))


def _confidence(win: float, lose: float) -> float:
    return round(min(0.999, max(0.5, (win + 0.5) / (win + lose + 1.0))), 4)


(_S_N, _S_MARKED, _S_SYL, _S_OTHER, _S_EN, _S_STOP, _S_AMB, _S_FREQ, _S_CODES, _S_FOREIGN, _S_OTHER_FW,
 _S_OTHER_ACC, _S_VI, _S_EN_PTS) = (_SHIFT[f] for f in _FIELDS)
_VI_MARKED_Q = round(_W["vi_marked"] * _QUARTERS)
_RATIO, _MIN_Q = _W["ratio"], _W["min_points"] * _QUARTERS
_EARLY_MIN_Q = _EARLY_POINTS * _QUARTERS


def _decide(sample: str, text: str, final: bool) -> LangResult | None:
    """Decision on one sample of `text`; None (when not `final`) means: look at a longer sample."""
    if not sample.isascii() and not unicodedata.is_normalized("NFC", sample):
        sample = unicodedata.normalize("NFC", sample)
    low = sample.lower()
    total = _packed_counts(low)
    n = (total >> _S_N) & _MASK
    foreign = (total >> _S_FOREIGN) & _MASK
    vi_q = (total >> _S_VI) & _MASK
    en_q = (total >> _S_EN_PTS) & _MASK
    marked = (total >> _S_MARKED) & _MASK
    en = (total >> _S_EN) & _MASK
    if not final:
        if n == 0 or foreign:
            return None
        ratio, min_q = _EARLY_RATIO, _EARLY_MIN_Q
    else:
        if n == 0:
            if (total >> _S_CODES) & _MASK:
                return LangResult("und", 0.9, "codes")
            if _LETTER_RE.search(low):  # only units, single letters, vowel-less abbreviations
                return LangResult("und", 0.8, "too-short")
            return LangResult("und", 1.0, "no-letters")
        if ((total >> _S_CODES) & _MASK and n <= _CODE_MAX_WORDS
                and not (marked or en or (total >> _S_FREQ) & _MASK or (total >> _S_SYL) & _MASK >= 2)):
            return LangResult("und", 0.8, "codes")
        if foreign:
            letters = "".join(_LETTER_RE.findall(low))
            non_latin = "".join(_NOT_LATIN.findall(letters))
            if len(non_latin) * 2 > len(letters):
                lang = _script_lang(non_latin)
                if lang:
                    return LangResult(lang, 0.99, "script")
                return _fallback(text)
        ratio, min_q = _RATIO, _MIN_Q
    third = ((total >> _S_OTHER_FW) & _MASK) + ((total >> _S_OTHER_ACC) & _MASK)
    if third >= 2 and third * 3 >= n:  # much of another language's function words or accented words
        return _fallback(text) if final else None
    # Without diacritics, Vietnamese is nearly all syllables; a block with many words that are not (and
    # a few short ones that are: "muy", "mi") is something else.
    plain_vi_ok = marked or (total >> _S_SYL) & _MASK >= ((total >> _S_OTHER) & _MASK) + third
    if vi_q >= min_q and vi_q >= ratio * en_q and plain_vi_ok:
        reason = "vi-letters" if marked * _VI_MARKED_Q * 2 >= vi_q else "vi-syllables"
        return LangResult("vi", _confidence(vi_q / _QUARTERS, en_q / _QUARTERS), reason)
    if en_q >= min_q and en_q >= ratio * vi_q and (en or (total >> _S_AMB) & _MASK):
        return LangResult("en", _confidence(en_q / _QUARTERS, vi_q / _QUARTERS), "en-words")
    if not final:
        return None
    third = third or foreign
    if not third:
        if marked and not (total >> _S_STOP) & _MASK and vi_q >= en_q:
            # Vietnamese words framing English names or nouns, with no English grammar words around them.
            return LangResult("vi", _confidence(vi_q / _QUARTERS, en_q / _QUARTERS), "vi-mixed")
        if not marked and plain_vi_ok and vi_q > en_q and vi_q >= min_q:
            # langdetect's vi profile is trained on text with diacritics and under-rates plain Vietnamese.
            return LangResult("vi", _confidence(vi_q / _QUARTERS, en_q / _QUARTERS), "vi-syllables")
        if vi_q == 0 and n <= _EN_DEFAULT_MAX:
            if en:  # English words, too few points for en-words ("Size")
                return LangResult("en", max(_EN_DEFAULT_PROB, _confidence(en_q / _QUARTERS, 0.0)), "en-words")
            return LangResult("en", _EN_DEFAULT_PROB, "en-default")
    return _fallback(text, vi_en=not third)


def _detect_uncached(text: str) -> LangResult:
    last = len(_WINDOWS) - 1
    for i, limit in enumerate(_WINDOWS):
        final = i == last or len(text) <= limit
        result = _decide(_sample(text, limit), text, final)
        if result is not None:
            return result
    raise AssertionError("the last window always decides")  # pragma: no cover


def _fallback(text: str, vi_en: bool = False) -> LangResult:
    """langdetect on a lowercased bounded sample; between vi and en only when nothing suggests a third
    language (the block's words were all Vietnamese, English or unknown plain-ASCII words)."""
    sample = _sample(text, _LD_SAMPLE).lower()
    if vi_en and "vi" in CANDIDATE_LANGS and "en" in CANDIDATE_LANGS:
        result = _langdetect(sample, _factory("vi-en"), fast=True, prior=None)
        if result.reason == "langdetect":
            return LangResult(result.lang, result.prob, "langdetect-vi-en")
        return result
    return _langdetect(sample, _factory("candidates"), fast=True, prior=_PRIOR)


_CACHE_SIZE = int(_CFG["cache"].get("size", 8192))
_CACHE_MAX_KEY = int(_CFG["cache"].get("max_key_chars", 4000))
_detect_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(_detect_uncached)


def detect(text: str) -> LangResult:
    """Language of one text block. Never raises; deterministic; rules first, langdetect last."""
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        if len(text) <= _CACHE_MAX_KEY:
            return _detect_cached(text)
        return _detect_uncached(text)
    except Exception:  # noqa: BLE001 - a block's language must never stop a batch
        return LangResult("und", 0.0, "error")


def cache_clear() -> None:
    """Forget cached results (for benchmarks and tests)."""
    _detect_cached.cache_clear()
