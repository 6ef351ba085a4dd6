"""Seeded langdetect: factories with only the profiles needed, loaded lazily once per process, and
`FastDetector`, langdetect's Detector with its per-character work made cheaper (same answers).
"""
from __future__ import annotations

import functools
import json
import os
import threading

from pipeline.lexicon import load

from .tokens import CANDIDATE_LANGS, CFG, LangResult, SEED, SPACES


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
            self.text += SPACES.sub(" ", text)

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


def new_factory(langs: tuple[str, ...] | None = None, seed: int = SEED):
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


def factory_for(kind: str):
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
    prior = CFG["langdetect"].get("prior")
    if not prior:
        return None
    other = float(CFG["langdetect"].get("prior_other", 0.0))
    return {lang: float(prior.get(lang, other)) for lang in CANDIDATE_LANGS}


PRIOR = _prior_map()


def run_langdetect(text: str, factory, fast: bool, prior: dict | None) -> LangResult:
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
        return run_langdetect(str(text), factory_for("all"), fast=False, prior=None)
    except Exception:  # noqa: BLE001 - the baseline must not take a pipeline down either
        return LangResult("und", 0.0, "error")
