"""In-memory records that flow between stages: one `Listing` per input record.

A stage is a pure function `Listing -> Listing` that fills the fields it owns (see `pipeline.stages`).
Every span carries `char_start`/`char_end` into `Listing.text`, the normalized document text.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class Block:
    block_id: int
    kind: str  # heading | bullet | paragraph | row
    text: str
    char_start: int
    char_end: int
    level: int | None = None  # heading level when the source says it (h1-h6, '#'), else None
    lang: str = "und"
    lang_prob: float = 0.0
    lang_reason: str = ""
    zone: str = "other"
    policy_score: float = 0.0
    zone_reason: str = ""


@dataclass(slots=True)
class Fact:
    block_id: int
    fact_type: str
    value_min: float | None
    value_max: float | None
    unit: str
    qualifier: str | None
    evidence: str
    char_start: int
    char_end: int
    lang: str


@dataclass(slots=True)
class Section:
    section_id: int
    parent_id: int | None
    level: int
    heading: str | None
    heading_source: str  # explicit | inferred
    text: str
    char_start: int
    char_end: int
    n_paragraphs: int
    n_sentences: int
    n_words: int
    reading_minutes: float
    lang: str


@dataclass(slots=True)
class Sentence:
    section_id: int
    sentence_id: int
    text: str
    lang: str
    char_start: int
    char_end: int


@dataclass(slots=True)
class Listing:
    doc_id: str
    source: str
    format: str
    title: str | None
    text: str
    # Structure the input format already told us (HTML tags): (char_start, char_end, kind, level).
    hints: list[tuple[int, int, str, int | None]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    quality: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Listing":
        data = dict(data)
        data["hints"] = [tuple(h) for h in data.get("hints", [])]
        data["blocks"] = [Block(**b) for b in data.get("blocks", [])]
        data["facts"] = [Fact(**f) for f in data.get("facts", [])]
        data["sections"] = [Section(**s) for s in data.get("sections", [])]
        data["sentences"] = [Sentence(**s) for s in data.get("sentences", [])]
        return cls(**data)


@dataclass(slots=True)
class Reject:
    source: str
    reason: str  # a short code: empty, binary, undecodable, too_large, bad_json, no_text, ...
    message: str
    n_bytes: int
