"""The sections lexicon (lexicon/sections.toml), read once, and the patterns the rules share.
"""
from __future__ import annotations

import functools
import re

from pipeline.lexicon import load
from pipeline.text.phrases import PhraseSet


LABEL_END = re.compile(r"[,:;.!?…(]|\s[-–—]\s")
KEY_VALUE = re.compile(r"^\W*([^:：|]{1,40}?)\s*[:：]\s*\S")
SENTENCE_END = ".!?…"


@functools.cache
def section_rules() -> dict:
    lex = load("sections")
    return {
        "speed": lex["reading_speed"],
        "conclusion": PhraseSet(lex["conclusion"]["openers"]),
        "connectives": PhraseSet(lex["continuation"]["connectives"]),
        **{k: float(v) for k, v in lex["inference"].items()},
        **{k: int(v) for k, v in lex["explicit"].items()},
    }


def reading_speed(lang: str) -> float:
    speeds = section_rules()["speed"]
    return float(speeds.get(lang, speeds["default"]))
