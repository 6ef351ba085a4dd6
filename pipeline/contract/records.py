"""In-memory records that flow between stages: one `Listing` per input record.

A stage is a pure function `Listing -> Listing` that fills the fields it declares (see `pipeline.stages`).
Every span carries `char_start`/`char_end` into `Listing.text`, the normalized document text.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

ROW_CELL_SEPARATOR = " | "   # between the cells of a `row` block's text (the HTML reader joins a table row so)


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
class Quality:
    """The quality stage's flags for a listing, each with the numbers behind it (columns of documents and
    catalog; see `pipeline.contract.schema.QUALITY`)."""
    description_genre: str
    genre_attribute_hits: int
    genre_prose_score: float
    stuffing_phrase: str | None
    stuffing_count: int
    stuffing_per_1k_words: float
    keyword_stuffing: bool
    title_lang: str | None
    policy_lang: str | None
    lang_mismatch: bool
    description_lang: str
    genre_reason: str
    genre_article_probability: float = 0.0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class Listing:
    doc_id: str
    source: str
    format: str
    title: str | None
    text: str
    # Structure the input format already told us (HTML tags): (char_start, char_end, kind, level).
    hints: list[tuple[int, int, str, int | None]] = field(default_factory=list)
    record_id: str | None = None     # the source record's own id (the mapped id field), as the source wrote it
    extra: dict[str, str] | None = None   # raw fields kept with --keep (name -> value as text); None: none asked
    title_lang: str | None = None    # language of the title (langid stage); None without a title
    blocks: list[Block] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    quality: Quality | None = None   # None until the quality stage ran

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
        quality = data.get("quality")
        data["quality"] = Quality(**quality) if quality else None
        return cls(**data)


@dataclass(slots=True)
class Reject:
    source: str
    reason: str  # a short code, one of pipeline.contract.kinds.REJECT_REASONS
    message: str
    n_bytes: int


def majority_lang(blocks) -> str:
    """The language most of the blocks' characters are in ('und' blocks aside), or 'und'."""
    weights: Counter = Counter()
    for b in blocks:
        if b.lang != "und":
            weights[b.lang] += len(b.text)
    return weights.most_common(1)[0][0] if weights else "und"
