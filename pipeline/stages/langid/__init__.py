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
   (`pipeline.text.fold.fold`), with lists and weights from ``lexicon/langid.toml``:
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

The stage (`detect_languages`) labels every block, and the title.

Modules: `tokens` (the lexicon and word evidence), `scripts` (non-Latin scripts), `detector` (seeded
langdetect and its fast detector), `rules` (the decision and the cache).
"""
from __future__ import annotations

from pipeline.contract.records import Listing

from .detector import detect_plain, new_factory
from .rules import cache_clear, detect
from .tokens import CANDIDATE_LANGS, LangResult


__all__ = ["CANDIDATE_LANGS", "LangResult", "cache_clear", "detect", "detect_languages", "detect_plain", "new_factory"]


def detect_languages(listing: Listing) -> Listing:
    """The langid stage: language of every block, and of the title."""
    for b in listing.blocks:
        r = detect(b.text)
        b.lang, b.lang_prob, b.lang_reason = r.lang, r.prob, r.reason
    listing.title_lang = detect(listing.title).lang if listing.title else None
    return listing
