"""THE registry of kinds: every enumerated value of the output contract is declared here, once.

Input formats, fact types (with their catalog columns, the unit each column is in and how several facts
of one listing combine into it), units, reject reasons, output tables, zones, block kinds, genres and
languages. The schema descriptions ("txt | html | ..."), the export's JSON-Schema enums, the catalog row,
the readers' suffix table, the README's tables, tests and notebooks all read these; nothing else lists
them. Words and patterns (how a fact type is *found*) are data in `pipeline/lexicon/*.toml`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


# ------------------------------------------------------------------ input formats

@dataclass(frozen=True, slots=True)
class Format:
    name: str                   # documents.format; a reader module pipeline/readers/<name>.py reads it
    suffixes: tuple[str, ...]   # file name suffixes (lower case) read as this format
    description: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("txt", (".txt", ".text", ".md"), "plain text (Markdown headings and bullets are read as such)"),
    Format("html", (".html", ".htm"), "an HTML page or fragment (beautifulsoup4, html.parser)"),
    Format("json", (".json",), "one record, or an array of records (streamed; big arrays are sliced)"),
    Format("jsonl", (".jsonl", ".ndjson"), "a record per line (streamed; big files are sliced)"),
    Format("csv", (".csv", ".tsv"), "a record per row, the header naming the fields (streamed; dialect sniffed)"),
    Format("parquet", (".parquet",), "a record per row, the columns naming the fields (streamed by row group)"),
)}
# Compression suffixes read transparently after any format's suffix (products.jsonl.gz, feed.csv.zst).
COMPRESSIONS: dict[str, str] = {".gz": "gzip", ".zst": "zstd (the zstandard package)"}


# ------------------------------------------------------------------ units

@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    dimension: str                 # "money" | "duration"
    days: float | None = None      # durations: length in days (business days count as days)...
    months: float | None = None    # ...and in months (a month is 30 days, a year 365 or 12 months)
    minor_units: int | None = None  # money: the ISO 4217 code's decimal places (VND 0, USD 2)

    def factor(self, target: str) -> float | None:
        """Multiplier from this unit to `target` ('day', 'hour', 'month'); None when it does not convert."""
        if target == "day":
            return self.days
        if target == "hour":
            return None if self.days is None else self.days * 24
        if target == "month":
            return self.months
        return None


UNITS: dict[str, Unit] = {u.name: u for u in (
    Unit("VND", "money", minor_units=0),
    Unit("USD", "money", minor_units=2),
    Unit("hour", "duration", days=1 / 24, months=1 / 720),
    Unit("day", "duration", days=1, months=1 / 30),
    Unit("business_day", "duration", days=1, months=1 / 30),
    Unit("week", "duration", days=7, months=7 / 30),
    Unit("month", "duration", days=30, months=1),
    Unit("year", "duration", days=365, months=12),
)}


# ------------------------------------------------------------------ fact types and their catalog columns

@dataclass(frozen=True, slots=True)
class Column:
    """A catalog column filled from the facts of one type.

    pick:    which value of a fact: "lower" (value_min, else value_max), "upper" (value_max, else
             value_min), "min" / "max" (that bound only), "lower_or_zero" (value_min, else 0)
    unit:    "money": an exact decimal amount in the row's `currency` (ISO 4217, the currency of the
             listing's first money fact; amounts in another currency are not mixed in), or "duration":
             the number as stated, in the unit named by the fact type's `<fact_type>_unit` column
             (business days stay business days, a warranty in months stays months; no conversion)
    combine: how several facts of a listing combine: "first" (reading order; the first fact that gives
             any of the type's "first" columns a value sets all of them), "min", "max"
    """
    name: str
    pick: str
    unit: str
    combine: str
    description: str


@dataclass(frozen=True, slots=True)
class FactType:
    name: str
    description: str
    columns: tuple[Column, ...] = ()
    label_vi: str = ""          # the Vietnamese label notebooks and reports show next to the English one

    @property
    def label(self) -> str:
        """'English / Tiếng Việt' (the English part from the name; just English when label_vi is empty)."""
        en = self.name.replace("_", " ").capitalize()
        return f"{en} / {self.label_vi}" if self.label_vi else en


FACT_TYPES: dict[str, FactType] = {t.name: t for t in (
    FactType("free_shipping_threshold", "order value from which shipping is free (0 = all orders)", (
        Column("free_shipping_threshold", "lower_or_zero", "money", "first",
               "Order value from which shipping is free, in `currency`; 0 = all orders."),),
        label_vi="Ngưỡng miễn phí vận chuyển"),
    FactType("shipping_fee", "what shipping costs", (
        Column("shipping_fee_min", "lower", "money", "min", "Lowest shipping fee stated, in `currency`."),
        Column("shipping_fee_max", "upper", "money", "max", "Highest shipping fee stated, in `currency`.")),
        label_vi="Phí vận chuyển"),
    FactType("delivery_time", "how long delivery takes", (
        Column("delivery_time_min", "min", "duration", "first", "Delivery time lower bound, in delivery_time_unit."),
        Column("delivery_time_max", "max", "duration", "first", "Delivery time upper bound, in delivery_time_unit.")),
        label_vi="Thời gian giao hàng"),
    FactType("express_delivery", "express (same-day, within hours) delivery time", (
        Column("express_delivery_time", "upper", "duration", "first",
               "Express delivery time (upper bound), in express_delivery_unit."),),
        label_vi="Giao hàng hỏa tốc"),
    FactType("return_window", "how long after receipt goods may be returned", (
        Column("return_window", "upper", "duration", "first", "Return window, in return_window_unit."),),
        label_vi="Thời hạn đổi trả"),
    FactType("exchange_window", "how long after receipt goods may be exchanged", (
        Column("exchange_window", "upper", "duration", "first", "Exchange window, in exchange_window_unit."),),
        label_vi="Thời hạn đổi hàng"),
    FactType("refund_time", "how long a refund takes", (
        Column("refund_time", "upper", "duration", "first", "Refund time upper bound, in refund_time_unit."),),
        label_vi="Thời gian hoàn tiền"),
    FactType("warranty_period", "how long the warranty lasts", (
        Column("warranty_period", "upper", "duration", "first", "Warranty period, in warranty_period_unit."),),
        label_vi="Thời gian bảo hành"),
)}

COLUMN_UNITS = ("money", "duration")   # Column.unit
CURRENCY_COLUMN = "currency"           # the catalog's ISO 4217 code of its money columns


def fact_label(fact_type: str) -> str:
    """'English / Tiếng Việt' label of a fact type; an unregistered name comes back as it is."""
    t = FACT_TYPES.get(fact_type)
    return t.label if t else fact_type


def unit_column(fact_type: str) -> str | None:
    """The catalog column naming the unit of a duration fact type's columns (None for money types)."""
    t = FACT_TYPES[fact_type]
    return f"{t.name}_unit" if any(c.unit == "duration" for c in t.columns) else None


def catalog_columns() -> list[Column]:
    """The catalog's policy value columns, in fact-type order."""
    return [c for t in FACT_TYPES.values() for c in t.columns]


def duration_units() -> tuple[str, ...]:
    return tuple(u.name for u in UNITS.values() if u.dimension == "duration")


def currencies() -> tuple[str, ...]:
    return tuple(u.name for u in UNITS.values() if u.dimension == "money")


# ------------------------------------------------------------------ reject reasons

REJECT_REASONS: dict[str, str] = {
    "empty": "the file (or its text) is empty",
    "binary": "binary content (NUL or control bytes)",
    "undecodable": "not UTF-8 or UTF-16, and no legacy code page fits (or one record of a UTF-8 file is not UTF-8)",
    "too_large": "over the size limit (--max-bytes)",
    "bad_json": "malformed JSON (a file, or a line of JSON Lines)",
    "bad_csv": "malformed CSV (a row)",
    "bad_parquet": "a Parquet file that cannot be read",
    "bad_record": "a record that is not an object",
    "no_text": "no text field, or no text left after removing markup",
    "no_letters": "the text holds only numbers or symbols",
    "unknown_type": "a file suffix no reader reads",
    "symlink_outside": "a symlink pointing outside the raw folder (not followed)",
    "broken_symlink": "a dangling symlink, or one that loops",
    "not_a_file": "a FIFO, socket or device, or a symlink to a folder (not followed; its files are read where they live)",
    "bad_file_name": "a file name that is not UTF-8",
    "unreadable": "the file or folder could not be read (permissions, I/O error)",
    "changed": "the file changed between planning and reading (size or mtime); the next run reads it again",
    "duplicate": "the same content as a listing read before (same doc_id)",
    "stage_error": "a stage raised on this listing (the message names the stage and the exception class)",
    "error": "any other error while processing the listing",
}


# ------------------------------------------------------------------ values of other columns

ZONES: dict[str, str] = {
    "policy": "shop terms and marketplace boilerplate",
    "description": "the product's own copy",
    "other": "contact lines, promotions, navigation",
}
# blocks.zone_reason: what decided a block's zone (pipeline/stages/zones.py, in its order of decision).
ZONE_REASONS: dict[str, str] = {
    "contents": "other: an entry of the page's table of contents (opens no zone)",
    "form": "other: a form's field label (opens no zone)",
    "navigation": "other: a breadcrumb (opens no zone)",
    "separator": "other: a line of signs, no letter or digit (opens no zone)",
    "enquiry": "other: a contact and a question, a support question, or a contact only for support; no window or step (opens no zone)",
    "heading": "a heading that names its zone opens it for the blocks that follow (a shop's commitment heading takes its list's zone)",
    "contact-or-promo": "other: a contact or promotion line",
    "cue": "policy: the block's own policy cue score reaches the threshold",
    "attribute": "description: a product spec line, a same-as-the-picture claim or the shop's packing before sending",
    "language": "description: a long block in another language than its policy section",
    "section": "the zone of the section the last zone heading opened",
    "default": "description: no zone heading above it",
    "neighbours": "policy: a weak-cue block (not a question) between policy blocks",
    "heads-policy": "policy: an unnamed heading whose whole section is policy",
    "icon": "an icon line or a line with no word (a lone number, price or emoticon) in the zone of the line it heads",
    "model": "the line model (lexicon/zones_model.json) changed the rules' zone",
    "article": "description: a policy block of an article or of advice to sellers that does not speak as the shop",
}
BLOCK_KINDS: dict[str, str] = {
    "heading": "a heading (HTML h1-h6, Markdown #, numbered, ALL-CAPS, colon-ended short lines...)",
    "bullet": "a list item",
    "paragraph": "body text",
    "row": "a table row (cells joined by ' | ')",
}
HEADING_SOURCES: dict[str, str] = {
    "explicit": "a heading block of the listing",
    "inferred": "inferred from the structure of the text",
}
GENRES: dict[str, str] = {
    "product_copy": "the product's own description",
    "article": "long advice-style prose with few product attributes",
    "boilerplate_only": "blocks, but none in the description zone",
    "empty": "no blocks with words at all",
}


# ------------------------------------------------------------------ output tables

@dataclass(frozen=True, slots=True)
class Table:
    name: str
    description: str
    items: str | None = None     # per-item tables: the Listing attribute holding one row per item
    keys: tuple[str, ...] = field(default=())   # columns that identify a row


TABLES: dict[str, Table] = {t.name: t for t in (
    Table("documents", "One row per listing (input record) that was processed.", None, ("doc_id",)),
    Table("blocks", "Headings, bullets and paragraphs in reading order, with language and zone.", "blocks",
          ("doc_id", "block_id")),
    Table("policy_facts", "Normalized shop-policy facts found in policy-zone blocks, each with its evidence span.",
          "facts", ("doc_id", "char_start", "char_end", "fact_type")),
    Table("sections", "Description sections: explicit headings or inferred from structure; level 1 groups "
                      "hold level 2 points.", "sections", ("doc_id", "section_id")),
    Table("sentences", "Sentences of the description (spaCy sentencizer per language; bullets and line breaks "
                       "end sentences).", "sentences", ("doc_id", "sentence_id")),
    Table("catalog", "One row per listing for downstream catalogs: clean description and the policy as typed "
                     "columns.", None, ("doc_id", "source")),
    Table("rejects", "One row per input (file or record) the pipeline could not use, with why.", None,
          ("source", "reason")),
)}


# ------------------------------------------------------------------ compaction partitionings

@dataclass(frozen=True, slots=True)
class Partitioning:
    """A Hive-style partitioning of a compacted output (`compact --partition-by NAME`): folders `KEY=value/`."""
    name: str          # the --partition-by choice
    key: str           # the folder key (never a column name of a table, so readers adding it cannot clash)
    description: str


PARTITIONINGS = {p.name: p for p in (
    Partitioning("source", "source_root", "the first component of the listing's source: the raw folder's "
                                          "subfolder or top-level file it came from (a reject's own source)"),
    Partitioning("ingest_date", "ingest_date", "the UTC date (YYYY-MM-DD) the listing's unit was processed"),
)}


# ------------------------------------------------------------------ languages

def languages() -> tuple[str, ...]:
    """The languages the pipeline tells apart (ISO 639-1), from lexicon/langid.toml; 'und' is undetermined."""
    from pipeline.lexicon import load
    return tuple(load("langid")["langdetect"]["candidate_langs"])


def enum(values) -> str:
    """'a | b | c': how a column's description lists its values."""
    return " | ".join(values)
