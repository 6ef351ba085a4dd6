"""Articles and advice to sellers: a listing whose text is an article states no shop's terms in that text.

An e-commerce guide pasted as a description names free-shipping levels, carriers' delivery times and fees as
examples ("Offer free shipping on orders over $75", "FedEx Ground (1-5 days)"): none is the shop's term, and
the zones' cues read many of its lines as policy. `advice_language` says whether a listing is such advice (at
least `[advice] min_audience` distinct phrases of lexicon/articles.toml `[advice] audience` in its blocks) and
in which language it is written; only its blocks in another determined language (the shop's own policy block
above the article) may state the shop's terms.

An article that addresses no seller (a buying guide, a review, a how-to pasted as a description) names
warranties, fees and delivery times in general, in the third person ("Most treadmills carry a 1-year motor
warranty"). `article_starts` says in which languages a listing is such an article and where it starts, by
either of two rules: its genre (`genre_starts`: the quality stage's genre model, `text.genre`, reads its plain
blocks in that language, those with no shop's voice and no policy cue of their own, as an article, and few of its
words speak as the shop; it starts after the shop's lines above it, `after_the_shop`), which takes list-shaped
guides, or its prose (`prose_starts`: at least `[article] min_prose` plain prose paragraphs, `prose_words`+
words, a sentence end, no `[article] voice` phrase; it starts at its first run of them), which takes the
long-paragraph articles the model misses. A block in that language from that start on may state the shop's
terms only when it speaks in the shop's voice ("we ship", "your order", "quý khách").

`own_blocks` combines both: the blocks that may state the shop's own terms. The zones stage reads it (a block
outside it is description, reason "article"), and so the facts, read from policy-zone blocks only, hold none
of an article's examples (issue 13, artzones; the facts stage's own gate of articles12 moved here).
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

from pipeline.contract.kinds import languages
from pipeline.contract.records import Block
from pipeline.lexicon import load
from pipeline.text.cues import policy_score, policy_threshold
from pipeline.text.genre import article_probability, genre_signals
from pipeline.text.phrases import PhraseSet, phrase_key

LEX = load("articles")
AUDIENCE = PhraseSet(LEX["advice"]["audience"])
MIN_AUDIENCE: int = LEX["advice"]["min_audience"]
LEAD_WINDOW: int = LEX["advice"]["lead_window"]
LANGUAGES = frozenset(languages())   # the determined languages ("und" is not one)
_article = LEX["article"]
VOICE = PhraseSet(_article["voice"])
PROSE_WORDS: int = _article["prose_words"]
MIN_PROBABILITY: float = _article["min_probability"]
MAX_VOICE_SHARE: float = _article["max_voice_share"]
SHOP_OUTWEIGHS: float = _article["shop_outweighs"]
MIN_WORDS: int = load("quality")["genre"]["min_words"]   # the quality stage's: an article is at least this long
MIN_PROSE: int = _article["min_prose"]
DENSE_WINDOW: int = _article["dense_window"]
DENSE_PROSE: int = _article["dense_prose"]
SENTENCE_ENDS = tuple(_article["sentence_ends"])
WORD = re.compile(r"[^\W_]+")   # a word: letters and digits
# PROSE_WORDS words in a row, from a word's start: found exactly when the text holds PROSE_WORDS words or more
# (words are runs of letters and digits, so any two are apart by a run of the rest), without listing them all
PROSE_WORDS_RUN = re.compile(rf"(?<![^\W_])[^\W_]++(?:[\W_]++[^\W_]++){{{PROSE_WORDS - 1}}}")
VOICE_CACHE = 16384   # texts whose voice is remembered (asked up to three times a block); bounded memory


def advice_language(blocks: Sequence[Block]) -> str | None:
    """The language of the listing's advice to sellers (the language of the blocks naming its audience,
    the most often, ties to the first in order), or None when fewer than MIN_AUDIENCE distinct audience
    phrases are in its blocks (the listing is no advice)."""
    found: set[str] = set()
    langs: Counter[str] = Counter()
    for b in blocks:
        hits = {phrase_key(m.group()) for m in AUDIENCE.finditer(b.text)}
        if hits:
            found |= hits
            langs[b.lang] += len(hits)
    if len(found) < MIN_AUDIENCE:
        return None
    return max(sorted(langs), key=langs.__getitem__)


def own_terms(block: Block, advice: str | None) -> bool:
    """Whether a block may state the shop's own terms as far as advice goes: always outside advice; in
    advice, only a block in another determined language than the advice's (not a code line, which is
    undetermined)."""
    return advice is None or (block.lang != advice and block.lang in LANGUAGES)


@functools.lru_cache(maxsize=VOICE_CACHE)
def speaks_as_shop(text: str) -> bool:
    """Whether a text holds a phrase of the shop's voice ([article] voice: "we ship", "your order", "quý khách").

    >>> speaks_as_shop("We ship every order within 2 business days.")
    True
    >>> speaks_as_shop("FedEx Ground typically takes 1-5 business days.")
    False
    """
    return next(VOICE.finditer(text), None) is not None


def prose(block: Block) -> bool:
    """Whether a block is a prose paragraph: PROSE_WORDS+ words, ending a sentence, not a heading."""
    t = block.text.rstrip()
    return (block.kind != "heading" and len(t) >= 2 * PROSE_WORDS - 1 and t.endswith(SENTENCE_ENDS)
            and has_prose_words(t))


def has_prose_words(text: str) -> bool:
    """Whether `text` holds PROSE_WORDS words or more (`has_prose_words_reference`, by one bounded search).

    >>> has_prose_words("one two " * 12), has_prose_words("one two " * 13)
    (False, True)
    """
    return PROSE_WORDS_RUN.search(text) is not None


def has_prose_words_reference(text: str) -> bool:
    """The words counted: the reference `has_prose_words` must equal."""
    return len(WORD.findall(text)) >= PROSE_WORDS


def plain_prose(block: Block) -> bool:
    """Whether a block is a prose paragraph (`prose`) without the shop's voice."""
    return prose(block) and not speaks_as_shop(block.text)


def article_starts(blocks: Sequence[Block], langs: frozenset[str] = LANGUAGES) -> dict[str, int]:
    """Language → where the article in it starts, for each determined language in which the listing is an
    article (empty for a shop's text): by the genre of its blocks (`genre_starts`: list-shaped guides too) or by
    its run of plain prose paragraphs (`prose_starts`), whose start, the first paragraph of the run, is taken
    when it has one. Each language is read apart from the others, so `langs` (a subset of LANGUAGES) leaves
    the others out and gives the same starts for its own."""
    return {**genre_starts(blocks, langs), **prose_starts(blocks, langs)}


def genre_starts(blocks: Sequence[Block], langs: frozenset[str] = LANGUAGES) -> dict[str, int]:
    """Language → where the article in it starts, for each determined language in which the listing reads as
    an article by its genre: its plain blocks (not headings, not in the shop's voice, no policy cue of their
    own) read as one by the genre model as the quality stage reads a description (`text.genre`: at least
    MIN_WORDS words, P(article) at least MIN_PROBABILITY), and less than MAX_VOICE_SHARE of the words of its
    blocks in the shop's voice. The article starts after the shop's lines (`after_the_shop`)."""
    by_lang: dict[str, list[int]] = {}
    words: Counter[str] = Counter()
    counted = [0] * len(blocks)   # each body block's words, enough to count them by: whitespace-separated
    for i, b in enumerate(blocks):
        if b.lang in langs:
            by_lang.setdefault(b.lang, []).append(i)
            if b.kind != "heading":
                counted[i] = len(b.text.split())
                words[b.lang] += counted[i]
    starts: dict[str, int] = {}
    threshold = policy_threshold()
    for lang, indices in by_lang.items():
        if words[lang] < MIN_WORDS:   # too short to be an article, whatever its blocks say (no scan)
            continue
        plain, counts, shop = [], [], []
        voice_words = 0
        for i in indices:
            b = blocks[i]
            voice, score = speaks_as_shop(b.text), policy_score(b.text)
            shop.append(voice or score > 0)
            if b.kind == "heading":
                continue
            if voice:
                voice_words += counted[i]
            elif score < threshold:
                plain.append(b.text)
                counts.append(counted[i])
        if sum(counts) < MIN_WORDS or voice_words >= MAX_VOICE_SHARE * words[lang]:
            continue
        if article_probability(genre_signals(plain, counts)["features"]) >= MIN_PROBABILITY:
            starts[lang] = after_the_shop(indices, shop, len(blocks))
    return starts


def after_the_shop(indices: Sequence[int], shop: Sequence[bool], end: int) -> int:
    """Where an article starts among its language's blocks (`indices`, in order; `shop`: whether each speaks as
    the shop or holds a policy cue): after the first blocks in which the shop's outweigh the others the most,
    each other block weighing SHOP_OUTWEIGHS against a shop's one (the shop's policy lines above a pasted
    article: its conditions and exclusions, "Used cosmetics.", stay with them); at its first block when no
    prefix holds more of the shop's; `end` when every block is the shop's.

    >>> after_the_shop([0, 1, 2, 3, 4], [True, True, False, False, False], 5)
    2
    >>> after_the_shop([3, 4, 5], [False, True, True], 9), after_the_shop([3, 4], [False, False], 9)
    (9, 3)
    """
    best = weight = 0.0
    start = indices[0] if indices else end
    for k, i in enumerate(indices):
        weight += 1.0 if shop[k] else -SHOP_OUTWEIGHS
        if weight > best:
            best, start = weight, (indices[k + 1] if k + 1 < len(indices) else end)
    return start


def prose_starts(blocks: Sequence[Block], langs: frozenset[str] = LANGUAGES) -> dict[str, int]:
    """Language → where the article in it starts, for each determined language in which the listing has at
    least MIN_PROSE plain prose paragraphs (an article in long paragraphs, which the genre model can miss: it
    learned that product copy runs long): the first plain prose paragraph of the first DENSE_WINDOW consecutive
    blocks holding DENSE_PROSE of them (a shop's policy block above the article, a long paragraph among its
    lines, is no such run). A paragraph repeated counts once (a template pasted again, a scraper's duplicate:
    an article's paragraphs differ)."""
    is_prose = [b.lang in langs and prose(b) for b in blocks]
    if max(Counter(b.lang for b, p in zip(blocks, is_prose) if p).values(), default=0) < MIN_PROSE:
        return {}   # too few prose paragraphs in any language, whatever their voice: no article (no voice scan)
    count: Counter[str] = Counter()
    runs: dict[str, list[int]] = {}     # language -> indices of its plain prose paragraphs in the window
    start: dict[str, int] = {}
    seen: set[str] = set()
    for i, b in enumerate(blocks):
        if not is_prose[i] or b.text in seen or speaks_as_shop(b.text):   # a plain prose paragraph, once
            continue
        seen.add(b.text)
        count[b.lang] += 1
        run = [j for j in runs.get(b.lang, []) if j > i - DENSE_WINDOW] + [i]
        runs[b.lang] = run
        if len(run) >= DENSE_PROSE:
            start.setdefault(b.lang, run[0])
    return {lang: i for lang, i in start.items() if count[lang] >= MIN_PROSE}


def own_blocks(blocks: Sequence[Block], asked: Sequence[int] | None = None) -> set[str] | None:
    """The ids of the blocks that may state the shop's own terms, or None when every block may (the listing
    is neither advice to sellers nor an article). In an article (`article_starts`), a block of its language
    from its start on only when it speaks in the shop's voice (`speaks_as_shop`); in advice to sellers, a
    block that `own_terms` keeps, one above where the advice starts (`advice_start`: the shop's own lines above
    the pasted guide, whatever their voice), or one above the start of the advice's article in the shop's voice
    or in no language (the shop's own block above it, and its list labels "HCM:", "2.", which give the lines
    under them their context; the advice's title and lead-in, in its language, name its examples too).

    `asked`: the indices of the blocks whose answer is wanted (None: every block). Only the languages where an
    asked block could be left out are read (`asked_languages`); the answer for the asked blocks is the same."""
    advice = advice_language(blocks)
    starts = article_starts(blocks, LANGUAGES if asked is None else asked_languages(blocks, asked, advice))
    if advice is None and not starts:
        return None
    above_advice = starts.get(advice, -1)
    shops_above = advice_start(blocks, advice, starts) if advice is not None else -1
    return {b.block_id for i, b in enumerate(blocks)
            if (own_terms(b, advice) or i < shops_above
                or (i < above_advice and (speaks_as_shop(b.text) or b.lang not in LANGUAGES)))
            and not (b.lang in starts and i >= starts[b.lang] and not speaks_as_shop(b.text))}


def asked_languages(blocks: Sequence[Block], asked: Sequence[int], advice: str | None) -> frozenset[str]:
    """The languages whose article starts can change `own_blocks`' answer for the blocks `asked`: an asked block
    is left out by its own language's article only when it does not speak as the shop, and the advice's language
    places the advice's start and the shop's lines above it."""
    found = {blocks[i].lang for i in asked if not speaks_as_shop(blocks[i].text)}
    if advice is not None:
        found.add(advice)
    return frozenset(found & LANGUAGES)


def advice_start(blocks: Sequence[Block], advice: str, starts: dict[str, int]) -> int:
    """Where the advice to sellers starts: its first block in its language that names its audience (an
    `[advice] audience` phrase) or is a plain prose paragraph (`plain_prose`: its lead-in) with another within
    the next `[advice] lead_window` blocks, or its article's start (`article_starts`) if that comes first; the
    blocks above are the shop's (its own policy lines above the pasted guide, whatever their voice: a long
    line among them has no plain prose paragraph close under it)."""
    plain = [b.lang == advice and plain_prose(b) for b in blocks]
    first = next((i for i, b in enumerate(blocks) if b.lang == advice
                  and (next(AUDIENCE.finditer(b.text), None) is not None
                       or (plain[i] and any(plain[i + 1:i + 1 + LEAD_WINDOW])))), len(blocks))
    return min(first, starts.get(advice, first))
