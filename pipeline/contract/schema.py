"""The output contract: one explicit pyarrow schema per table, with a description for every column.

This module is the single source of truth for column names and types; the values a column may take (formats,
zones, fact types, units, reject reasons, ...) and the catalog's policy columns come from the registry in
`pipeline.contract.kinds`. The README's data dictionary is generated from it (`python -m pipeline schema`),
and tests check written files against it.
Offsets (`char_start`, `char_end`) always index `documents.text`, so
`documents.text[char_start:char_end]` gives back a row's `text` or `evidence`.
"""
from __future__ import annotations

import pyarrow as pa

from . import kinds
from .kinds import enum

SCHEMA_VERSION = "2.0"   # 2.0: money exact with a currency, durations as stated with their unit, qualifier a list


def field(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": doc})


def _schema(table: str, *fields: pa.Field) -> pa.Schema:
    return pa.schema(fields, metadata={"description": kinds.TABLES[table].description,
                                       "schema_version": SCHEMA_VERSION})


DOC_ID = field("doc_id", pa.string(), "Stable id of the listing: sha1 of its source-independent content.", False)
RECORD_ID = field("record_id", pa.string(), "The source record's own id (the mapped id field: id, sku, "
                  "url_key, product_id or --field id=NAME), as written; null when the record has none. Join "
                  "back to your product master on this; doc_id identifies the content.")
EXTRA = field("extra", pa.string(), "Raw fields carried through with --keep (or keep = [...] in the fields "
              "config), as one JSON object: field name -> the value as text (JSON for lists and objects), keys "
              "sorted; null when nothing is kept; a field the record lacks is absent.")
SPAN = (
    field("char_start", pa.int32(), "Start offset into documents.text (Unicode code points).", False),
    field("char_end", pa.int32(), "End offset (exclusive) into documents.text.", False),
)
QUALITY = (
    field("description_genre", pa.string(), f"{enum(kinds.GENRES)}."),
    field("genre_reason", pa.string(), "The signals that decided description_genre, in words."),
    field("genre_attribute_hits", pa.int32(), "Product-attribute signals in the description (specs, sizes, materials, prices)."),
    field("genre_prose_score", pa.float32(), "Advice-style prose signal: mean words per paragraph x share of 2nd-person words."),
    field("genre_article_probability", pa.float32(), "P(article) of the genre model (lexicon/genre_weights.json); description_genre is article at its threshold (and enough words)."),
    field("stuffing_phrase", pa.string(), "Most repeated phrase of 4+ words in the description (null if none repeats)."),
    field("stuffing_count", pa.int32(), "How many times stuffing_phrase occurs."),
    field("stuffing_per_1k_words", pa.float32(), "stuffing_count per 1,000 description words."),
    field("keyword_stuffing", pa.bool_(), "stuffing_count >= 8 and stuffing_per_1k_words >= 2 (lexicon/quality.toml; set your own threshold from the numbers)."),
    field("title_lang", pa.string(), "Language of the title (ISO 639-1 or und)."),
    field("policy_lang", pa.string(), "Majority language of the policy zone (null when there is none)."),
    field("lang_mismatch", pa.bool_(), "The description language differs from the policy zone's or the title's."),
)

DOCUMENTS = _schema(
    "documents",
    DOC_ID,
    RECORD_ID,
    field("source", pa.string(), "Path relative to the raw folder, plus #N for the N-th record of a multi-record file.", False),
    field("format", pa.string(), f"{enum(kinds.FORMATS)}.", False),
    field("title", pa.string(), "Listing title: the record's title field, or an HTML page's first h1; null for plain text."),
    field("text", pa.string(), "The normalized full text (Unicode NFC, \\n newlines); all offsets point into it.", False),
    field("n_chars", pa.int32(), "len(text).", False),
    field("n_blocks", pa.int32(), "Number of rows in blocks for this listing.", False),
    *QUALITY,
)

BLOCKS = _schema(
    "blocks",
    DOC_ID,
    field("block_id", pa.int32(), "Reading order within the listing, from 0.", False),
    field("kind", pa.string(), f"{enum(kinds.BLOCK_KINDS)}.", False),
    field("level", pa.int8(), "Heading level given by the source (h1-h6, Markdown #), else null."),
    field("zone", pa.string(), f"{enum(kinds.ZONES)}.", False),
    field("policy_score", pa.float32(), "Weighted policy cue score of the block's own words (the zone decision also uses headings and position).", False),
    field("zone_reason", pa.string(), f"What decided the zone: {enum(kinds.ZONE_REASONS)}.", False),
    field("lang", pa.string(), "ISO 639-1 code, or und.", False),
    field("lang_prob", pa.float32(), "Confidence of lang, 0..1.", False),
    field("lang_reason", pa.string(), "What decided lang (vi-letters, langdetect, no-letters, ...).", False),
    field("text", pa.string(), "The block's text, == documents.text[char_start:char_end].", False),
    *SPAN,
)

POLICY_FACTS = _schema(
    "policy_facts",
    DOC_ID,
    field("block_id", pa.int32(), "The block the evidence lies in.", False),
    field("fact_type", pa.string(), f"{enum(kinds.FACT_TYPES)}.", False),
    field("value_min", pa.float64(), "Lower bound (null where open, e.g. 'within 30 days')."),
    field("value_max", pa.float64(), "Upper bound (null where open, e.g. 'from 500K')."),
    field("unit", pa.string(), f"{enum(kinds.UNITS)}.", False),
    field("qualifier", pa.list_(pa.string()), "Normalized condition labels (domestic, all orders, if not satisfied, ...); empty when none.", False),
    field("evidence", pa.string(), "The exact source span, == documents.text[char_start:char_end].", False),
    *SPAN,
    field("lang", pa.string(), "Language of the block the fact came from.", False),
)

SECTIONS = _schema(
    "sections",
    DOC_ID,
    field("section_id", pa.int32(), "Order within the listing, from 0.", False),
    field("parent_id", pa.int32(), "section_id of the enclosing section, null at the top."),
    field("level", pa.int8(), "Nesting depth, 1 = top.", False),
    field("heading", pa.string(), "Heading text (explicit), or a short label (inferred: the lead-in's leading clause)."),
    field("heading_source", pa.string(), f"{enum(kinds.HEADING_SOURCES)}.", False),
    field("text", pa.string(), "The section's text, headings included (documents.text[char_start:char_end]).", False),
    *SPAN,
    field("n_paragraphs", pa.int32(), "Paragraph and bullet blocks in the section (its own and its subsections').", False),
    field("n_sentences", pa.int32(), "Sentences (spaCy sentencizer) in the section.", False),
    field("n_words", pa.int32(), "Words; Vietnamese is counted in syllables (whitespace-separated units).", False),
    field("reading_minutes", pa.float32(), "n_words / 230 (English) or / 260 syllables (Vietnamese).", False),
    field("lang", pa.string(), "Majority language of the section's blocks.", False),
)

SENTENCES = _schema(
    "sentences",
    DOC_ID,
    field("section_id", pa.int32(), "Innermost section holding the sentence.", False),
    field("sentence_id", pa.int32(), "Order within the listing, from 0.", False),
    field("text", pa.string(), "== documents.text[char_start:char_end].", False),
    field("lang", pa.string(), "Language of the sentence's block.", False),
    *SPAN,
)

MONEY_TYPE = pa.decimal128(18, 2)   # exact: every currency of the registry has at most 2 decimal places


def policy_fields() -> list[pa.Field]:
    """The catalog's policy columns from the registry: `currency`, then per fact type its value columns
    (money: exact decimals in `currency`; durations: float64 as stated) and, for durations, its unit column."""
    fields = [field(kinds.CURRENCY_COLUMN, pa.string(),
                    f"ISO 4217 code of the money columns: {enum(kinds.currencies())} (null when no money fact).")]
    for t in kinds.FACT_TYPES.values():
        for c in t.columns:
            fields.append(field(c.name, MONEY_TYPE if c.unit == "money" else pa.float64(), c.description))
        if kinds.unit_column(t.name):
            fields.append(field(kinds.unit_column(t.name), pa.string(),
                                f"Unit of the {t.name} columns as the listing stated it: {enum(kinds.duration_units())}."))
    return fields


def catalog_schema() -> pa.Schema:
    """The catalog table: its policy columns are the registry's fact-type columns (kinds.FACT_TYPES)."""
    return _schema(
        "catalog",
        DOC_ID,
        RECORD_ID,
        field("source", pa.string(), "Provenance: see documents.source.", False),
        field("title", pa.string(), "Listing title."),
        field("description_text", pa.string(), "Description-zone blocks joined by newlines (empty string if none).", False),
        field("description_lang", pa.string(), "Majority language of the description (by characters), or und.", False),
        *policy_fields(),
        field("n_policy_facts", pa.int32(), "Rows in policy_facts for this listing.", False),
        *QUALITY,
        EXTRA,
    )


CATALOG = catalog_schema()

REJECTS = _schema(
    "rejects",
    field("source", pa.string(), "Path relative to the raw folder, plus #N (record) or :LINE.", False),
    field("reason", pa.string(), f"Short code: {', '.join(kinds.REJECT_REASONS)}.", False),
    field("message", pa.string(), "What is wrong and where.", False),
    field("n_bytes", pa.int64(), "Size of the rejected input in bytes.", False),
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "blocks": BLOCKS,
    "policy_facts": POLICY_FACTS,
    "sections": SECTIONS,
    "sentences": SENTENCES,
    "catalog": CATALOG,
    "rejects": REJECTS,
}
assert list(TABLES) == list(kinds.TABLES), "every table of kinds.TABLES has a schema here, in the same order"


def data_dictionary() -> str:
    """Markdown tables of every column, for the README."""
    out = []
    for name, schema in TABLES.items():
        out.append(f"### `{name}`\n\n{schema.metadata[b'description'].decode()}\n")
        out.append("| column | type | description |\n|---|---|---|")
        for f in schema:
            doc = f.metadata[b"description"].decode().replace("|", "\\|")
            out.append(f"| `{f.name}` | {f.type} | {doc} |")
        out.append("")
    out.append("### Fact types and their catalog columns\n\nFrom the registry (`pipeline/contract/kinds.py`): how "
               "several facts of one listing combine into a column (first in reading order, min or max). Money is "
               "exact, in the row's `currency`; durations are the numbers the listing stated, in the unit its "
               "`_unit` column names (convert with the table of units if you need days).\n")
    out.append("| fact_type | meaning | catalog column | unit | value | combine |\n|---|---|---|---|---|---|")
    for t in kinds.FACT_TYPES.values():
        for c in t.columns:
            unit = f"`{kinds.CURRENCY_COLUMN}`" if c.unit == "money" else f"`{kinds.unit_column(t.name)}`"
            out.append(f"| `{t.name}` | {t.description} | `{c.name}` | {unit} | {c.pick} | {c.combine} |")
    out.append("")
    return "\n".join(out)
