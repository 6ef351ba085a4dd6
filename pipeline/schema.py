"""The output contract: one explicit pyarrow schema per table, with a description for every column.

This module is the single source of truth for column names and types; the README's data dictionary is
generated from it (`python -m pipeline schema`), and tests check written files against it.
Offsets (`char_start`, `char_end`) always index `documents.text`, so
`documents.text[char_start:char_end]` gives back a row's `text` or `evidence`.
"""
from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.0"


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": doc})


def _schema(table_doc: str, *fields: pa.Field) -> pa.Schema:
    return pa.schema(fields, metadata={"description": table_doc, "schema_version": SCHEMA_VERSION})


DOC_ID = _f("doc_id", pa.string(), "Stable id of the listing: sha1 of its source-independent content.", False)
SPAN = (
    _f("char_start", pa.int32(), "Start offset into documents.text (Unicode code points).", False),
    _f("char_end", pa.int32(), "End offset (exclusive) into documents.text.", False),
)
QUALITY = (
    _f("description_genre", pa.string(), "product_copy | article | boilerplate_only | empty."),
    _f("genre_reason", pa.string(), "The signals that decided description_genre, in words."),
    _f("genre_attribute_hits", pa.int32(), "Product-attribute signals in the description (specs, sizes, materials, prices)."),
    _f("genre_prose_score", pa.float32(), "Advice-style prose signal: mean words per paragraph x share of 2nd-person words."),
    _f("stuffing_phrase", pa.string(), "Most repeated phrase of 4+ words in the description (null if none repeats)."),
    _f("stuffing_count", pa.int32(), "How many times stuffing_phrase occurs."),
    _f("stuffing_per_1k_words", pa.float32(), "stuffing_count per 1,000 description words."),
    _f("keyword_stuffing", pa.bool_(), "stuffing_count >= 8 and stuffing_per_1k_words >= 2 (lexicon/quality.toml; set your own threshold from the numbers)."),
    _f("title_lang", pa.string(), "Language of the title (ISO 639-1 or und)."),
    _f("policy_lang", pa.string(), "Majority language of the policy zone (null when there is none)."),
    _f("lang_mismatch", pa.bool_(), "The description language differs from the policy zone's or the title's."),
)

DOCUMENTS = _schema(
    "One row per listing (input record) that was processed.",
    DOC_ID,
    _f("source", pa.string(), "Path relative to the raw folder, plus #N for the N-th record of a multi-record file.", False),
    _f("format", pa.string(), "txt | html | json | jsonl | csv.", False),
    _f("title", pa.string(), "Listing title: the record's title field, or an HTML page's first h1; null for plain text."),
    _f("text", pa.string(), "The normalized full text (Unicode NFC, \\n newlines); all offsets point into it.", False),
    _f("n_chars", pa.int32(), "len(text).", False),
    _f("n_blocks", pa.int32(), "Number of rows in blocks for this listing.", False),
    *QUALITY,
)

BLOCKS = _schema(
    "Headings, bullets and paragraphs in reading order, with language and zone.",
    DOC_ID,
    _f("block_id", pa.int32(), "Reading order within the listing, from 0.", False),
    _f("kind", pa.string(), "heading | bullet | paragraph | row.", False),
    _f("level", pa.int8(), "Heading level given by the source (h1-h6, Markdown #), else null."),
    _f("zone", pa.string(), "policy | description | other.", False),
    _f("policy_score", pa.float32(), "Weighted policy cue score of the block's own words (the zone decision also uses headings and position).", False),
    _f("zone_reason", pa.string(), "What decided the zone: cue, heading, section, neighbours, default, ...", False),
    _f("lang", pa.string(), "ISO 639-1 code, or und.", False),
    _f("lang_prob", pa.float32(), "Confidence of lang, 0..1.", False),
    _f("lang_reason", pa.string(), "What decided lang (vi-letters, langdetect, no-letters, ...).", False),
    _f("text", pa.string(), "The block's text, == documents.text[char_start:char_end].", False),
    *SPAN,
)

POLICY_FACTS = _schema(
    "Normalized shop-policy facts found in policy-zone blocks, each with its evidence span.",
    DOC_ID,
    _f("block_id", pa.int32(), "The block the evidence lies in.", False),
    _f("fact_type", pa.string(), "free_shipping_threshold | shipping_fee | delivery_time | express_delivery | return_window | exchange_window | refund_time | warranty_period.", False),
    _f("value_min", pa.float64(), "Lower bound (null where open, e.g. 'within 30 days')."),
    _f("value_max", pa.float64(), "Upper bound (null where open, e.g. 'from 500K')."),
    _f("unit", pa.string(), "VND | USD | hour | day | business_day | week | month | year.", False),
    _f("qualifier", pa.string(), "Normalized condition labels joined by '; ' (domestic, all orders, if not satisfied, ...)."),
    _f("evidence", pa.string(), "The exact source span, == documents.text[char_start:char_end].", False),
    *SPAN,
    _f("lang", pa.string(), "Language of the block the fact came from.", False),
)

SECTIONS = _schema(
    "Description sections: explicit headings or inferred from structure; level 1 groups hold level 2 points.",
    DOC_ID,
    _f("section_id", pa.int32(), "Order within the listing, from 0.", False),
    _f("parent_id", pa.int32(), "section_id of the enclosing section, null at the top."),
    _f("level", pa.int8(), "Nesting depth, 1 = top.", False),
    _f("heading", pa.string(), "Heading text (explicit), or a short label (inferred: the lead-in's leading clause)."),
    _f("heading_source", pa.string(), "explicit | inferred.", False),
    _f("text", pa.string(), "The section's text, headings included (documents.text[char_start:char_end]).", False),
    *SPAN,
    _f("n_paragraphs", pa.int32(), "Paragraph and bullet blocks in the section (its own and its subsections').", False),
    _f("n_sentences", pa.int32(), "Sentences (spaCy sentencizer) in the section.", False),
    _f("n_words", pa.int32(), "Words; Vietnamese is counted in syllables (whitespace-separated units).", False),
    _f("reading_minutes", pa.float32(), "n_words / 230 (English) or / 260 syllables (Vietnamese).", False),
    _f("lang", pa.string(), "Majority language of the section's blocks.", False),
)

SENTENCES = _schema(
    "Sentences of the description (spaCy sentencizer per language; bullets and line breaks end sentences).",
    DOC_ID,
    _f("section_id", pa.int32(), "Innermost section holding the sentence.", False),
    _f("sentence_id", pa.int32(), "Order within the listing, from 0.", False),
    _f("text", pa.string(), "== documents.text[char_start:char_end].", False),
    _f("lang", pa.string(), "Language of the sentence's block.", False),
    *SPAN,
)

CATALOG = _schema(
    "One row per listing for downstream catalogs: clean description and the policy as typed columns.",
    DOC_ID,
    _f("source", pa.string(), "Provenance: see documents.source.", False),
    _f("title", pa.string(), "Listing title."),
    _f("description_text", pa.string(), "Description-zone blocks joined by newlines (empty string if none).", False),
    _f("description_lang", pa.string(), "Majority language of the description (by characters), or und.", False),
    _f("free_shipping_threshold_vnd", pa.float64(), "Order value (VND) from which shipping is free; 0 = all orders."),
    _f("shipping_fee_vnd", pa.float64(), "Lowest shipping fee stated (VND)."),
    _f("shipping_fee_vnd_max", pa.float64(), "Highest shipping fee stated (VND)."),
    _f("delivery_days_min", pa.float64(), "Delivery time lower bound in days (business days counted as days)."),
    _f("delivery_days_max", pa.float64(), "Delivery time upper bound in days."),
    _f("express_hours", pa.float64(), "Express delivery time (upper bound) in hours."),
    _f("return_days", pa.float64(), "Return window in days."),
    _f("exchange_days", pa.float64(), "Exchange window in days."),
    _f("refund_days", pa.float64(), "Refund time upper bound in days."),
    _f("warranty_months", pa.float64(), "Warranty period in months."),
    _f("n_policy_facts", pa.int32(), "Rows in policy_facts for this listing.", False),
    *QUALITY,
)

REJECTS = _schema(
    "One row per input (file or record) the pipeline could not use, with why.",
    _f("source", pa.string(), "Path relative to the raw folder, plus #N (record) or :LINE.", False),
    _f("reason", pa.string(), "Short code: empty, binary, undecodable, too_large, bad_json, bad_csv, no_text, no_letters, unknown_type, symlink_outside, error.", False),
    _f("message", pa.string(), "What is wrong and where.", False),
    _f("n_bytes", pa.int64(), "Size of the rejected input in bytes.", False),
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
    return "\n".join(out)
