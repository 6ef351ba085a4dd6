"""`python -m pipeline export`: one clean record per listing, for feeding a product catalog.

A record is the listing's `catalog` row (id, title, clean description and its language, the policy as
typed columns, the quality flags) with the listing's section outline nested in it and provenance
(input format and file hash, pipeline and schema versions) added. Records are ordered by doc_id, so
the same processed folder always exports the same bytes.

    python -m pipeline export --format jsonl   --out listings.jsonl   [--processed processed/]
    python -m pipeline export --format parquet --out listings.parquet
    python -m pipeline export --format csv     --out listings.csv
    python -m pipeline export --format jsonl   --out - | head         (jsonl and csv can go to stdout)

The JSON Lines record is described by `export.schema.json` (JSON Schema draft 2020-12), shipped beside
this module (`EXPORT_SCHEMA_PATH`). In Parquet the outline is a list of structs; in CSV it is a JSON
string, booleans are `true`/`false` and an empty cell is a null (read doc_id as a string). The export
validates nothing at run time; the tests validate every record against the schema.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from pathlib import Path
from typing import IO, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from .schema import CATALOG, QUALITY, SCHEMA_VERSION, TABLES

EXPORT_SCHEMA_PATH = Path(__file__).with_name("export.schema.json")
FORMATS = ("jsonl", "parquet", "csv")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}

# The catalog's typed policy columns (everything between the description and the quality flags).
POLICY_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in CATALOG
    if f.name not in {"doc_id", "source", "title", "description_text", "description_lang"}
    and f.name not in {q.name for q in QUALITY})
QUALITY_COLUMNS: tuple[str, ...] = tuple(f.name for f in QUALITY)

SECTION_TYPE = pa.struct([
    pa.field("section_id", pa.int32(), nullable=False),
    pa.field("parent_id", pa.int32()),
    pa.field("level", pa.int8(), nullable=False),
    pa.field("heading", pa.string()),
    pa.field("heading_source", pa.string(), nullable=False),
])
SECTION_FIELDS = tuple(f.name for f in SECTION_TYPE)


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": doc})


SECTIONS_FIELD = _f("sections", pa.list_(pa.field("item", SECTION_TYPE, nullable=False)),
                    "Outline of the description: {section_id, parent_id, level, heading, heading_source} in "
                    "reading order (see the sections table); empty when the listing has no description.", False)
PROVENANCE = (
    _f("source_format", pa.string(), "Input format: txt | html | json | jsonl | csv (documents.format)."),
    _f("source_sha1", pa.string(), "sha1 of the input file the listing came from (null if the manifest lacks it)."),
    _f("pipeline_version", pa.string(), "Version of the pipeline that wrote the processed folder."),
    _f("schema_version", pa.string(), "Output schema version of the processed folder (pipeline.schema.SCHEMA_VERSION).", False),
)


def export_schema() -> pa.Schema:
    """The Arrow schema of an export: catalog columns, the outline after the description, provenance last."""
    fields = []
    for f in CATALOG:
        fields.append(f)
        if f.name == "description_lang":
            fields.append(SECTIONS_FIELD)
    fields.extend(PROVENANCE)
    return pa.schema(fields, metadata={
        "description": "One record per listing for catalogs: the catalog row, its section outline and provenance.",
        "schema_version": SCHEMA_VERSION})


EXPORT_COLUMNS: tuple[str, ...] = tuple(export_schema().names)


class ExportError(Exception):
    """Something the user can fix (a missing or foreign processed folder, an unusable --out)."""


# ------------------------------------------------------------------ build

def _dataset(processed: Path, name: str) -> pads.Dataset | None:
    """The table's part files as a dataset; None for an empty table (a run over no inputs writes no parts)."""
    folder = processed / name
    if not folder.is_dir():
        raise ExportError(f"{processed} has no {name}/ table; is it the output of `python -m pipeline run`?")
    if not any(folder.glob("*.parquet")):
        return None
    return pads.dataset(folder, format="parquet")


def _read(processed: Path, name: str, columns: list[str]) -> pa.Table:
    ds = _dataset(processed, name)
    if ds is None:
        return TABLES[name].empty_table().select(columns)
    missing = [c for c in columns if c not in ds.schema.names]
    if missing:
        raise ExportError(f"{processed}/{name} lacks column(s) {', '.join(missing)}; it was written by another "
                          f"pipeline version: re-run `python -m pipeline run --full`")
    return ds.to_table(columns=columns)


def _versions(processed: Path) -> tuple[dict, str, str | None]:
    """(manifest or {}, schema_version, pipeline_version) of a processed folder."""
    manifest = {}
    mpath = processed / "manifest.json"
    if mpath.is_file():
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExportError(f"{mpath} is unreadable ({exc}); re-run `python -m pipeline run`") from None
    ds = _dataset(processed, "catalog")
    meta = (ds.schema.metadata if ds is not None else None) or {}
    schema_version = manifest.get("schema_version") or meta.get(b"schema_version", b"").decode() or None
    pipeline_version = manifest.get("pipeline_version") or meta.get(b"pipeline_version", b"").decode() or None
    if schema_version is None:
        raise ExportError(f"{processed} does not say its schema_version; is it the output of `python -m pipeline run`?")
    if schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ExportError(f"{processed} has schema {schema_version}, this export reads {SCHEMA_VERSION}; "
                          f"re-run `python -m pipeline run --full`")
    return manifest, schema_version, pipeline_version


def _outlines(processed: Path, doc_ids: pa.ChunkedArray) -> pa.Array:
    """One list of section structs per doc_id (doc_ids sorted ascending), in section_id order."""
    sec = _read(processed, "sections", ["doc_id", *SECTION_FIELDS])
    sec = sec.filter(pc.is_in(sec["doc_id"], value_set=doc_ids.combine_chunks()))
    sec = sec.sort_by([("doc_id", "ascending"), ("section_id", "ascending")])
    values = pa.StructArray.from_arrays([sec[name].combine_chunks().cast(SECTION_TYPE.field(name).type)
                                         for name in SECTION_FIELDS], fields=list(SECTION_TYPE))
    sec_ids = np.asarray(sec["doc_id"].to_pylist(), dtype=object)
    wanted = np.asarray(doc_ids.to_pylist(), dtype=object)
    starts = np.searchsorted(sec_ids, wanted, "left")
    ends = np.searchsorted(sec_ids, wanted, "right")
    if len(wanted) and np.all(starts[1:] == ends[:-1]):   # unique doc_ids: the slices tile the table
        take = None
    else:                                                 # duplicate doc_ids: each row gets a copy
        take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)] or [np.arange(0)])
        values = values.take(pa.array(take, pa.int64()))
    offsets = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values,
                                    type=SECTIONS_FIELD.type)


def build(processed: Path) -> pa.Table:
    """The export table of a processed folder: one row per catalog row, ordered by doc_id (then source)."""
    processed = Path(processed)
    if not processed.is_dir():
        raise ExportError(f"processed folder {processed} does not exist; run `python -m pipeline run` first "
                          f"or point --processed at its output")
    manifest, schema_version, pipeline_version = _versions(processed)
    cat = _read(processed, "catalog", list(CATALOG.names))
    cat = cat.sort_by([("doc_id", "ascending"), ("source", "ascending")])
    n = cat.num_rows

    docs = _read(processed, "documents", ["doc_id", "format"])
    fmt_of = dict(zip(docs["doc_id"].to_pylist(), docs["format"].to_pylist()))
    sha1_of = {i["path"]: i.get("sha1") for i in manifest.get("inputs", [])}

    def file_of(source: str) -> str:
        return source if source in sha1_of else source.rsplit("#", 1)[0]

    schema = export_schema()
    columns = {name: cat[name] for name in CATALOG.names}
    columns["sections"] = _outlines(processed, cat["doc_id"])
    columns["source_format"] = pa.array([fmt_of.get(d) for d in cat["doc_id"].to_pylist()], pa.string())
    columns["source_sha1"] = pa.array([sha1_of.get(file_of(s)) for s in cat["source"].to_pylist()], pa.string())
    columns["pipeline_version"] = pa.array([pipeline_version] * n, pa.string())
    columns["schema_version"] = pa.array([schema_version] * n, pa.string())
    return pa.table([columns[f.name].cast(f.type) for f in schema], schema=schema)


# ------------------------------------------------------------------ records and writers

def _clean(value, float32: bool = False):
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if float32:   # the shortest decimal that round-trips the float32 (490.91, not 490.9100036621094)
            return float(str(np.float32(value)))
    return value


def records(table: pa.Table) -> Iterator[dict]:
    """The table's rows as JSON-ready dicts (NaN -> null, float32 columns in their shortest form)."""
    f32 = {f.name for f in table.schema if pa.types.is_float32(f.type)}
    for batch in table.to_batches(max_chunksize=4096):
        for row in batch.to_pylist():
            yield {k: _clean(v, k in f32) for k, v in row.items()}


def _open(out: Path | str, newline: str | None = None):
    """(file object, commit) for --out; `-` is stdout. Files are written to a temporary name and renamed."""
    if str(out) == "-":
        return sys.stdout, lambda ok: None
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    fh = open(tmp, "w", encoding="utf-8", newline=newline)

    def commit(ok: bool) -> None:
        fh.close()
        if ok:
            os.replace(tmp, out)
        else:
            tmp.unlink(missing_ok=True)
    return fh, commit


def write_jsonl(table: pa.Table, fh: IO[str]) -> None:
    for rec in records(table):
        fh.write(json.dumps(rec, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, float):
        return json.dumps(value)
    return str(value)


def write_csv(table: pa.Table, fh: IO[str]) -> None:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(table.schema.names)
    for rec in records(table):
        w.writerow([_csv_cell(v) for v in rec.values()])


def write_parquet(table: pa.Table, out: Path) -> None:
    from . import __version__
    meta = dict(table.schema.metadata or {})
    meta.update({b"schema_version": SCHEMA_VERSION.encode(), b"pipeline_version": __version__.encode()})
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        pq.write_table(table.replace_schema_metadata(meta), tmp, compression="zstd")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def export(processed: Path, out: Path | str, fmt: str) -> int:
    """Write the export of `processed` to `out` ('-' = stdout for jsonl/csv). Returns the record count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if str(out) == "-" and fmt == "parquet":
        raise ExportError("parquet cannot go to stdout; give --out a file name")
    if str(out) != "-":
        out = Path(out)
        if out.is_dir():
            raise ExportError(f"--out {out} is a folder; give a file name, e.g. {out / ('listings.' + fmt)}")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create {out.parent}: {exc.strerror or exc}") from None
    table = build(processed)
    try:
        if fmt == "parquet":
            write_parquet(table, out)
            return table.num_rows
        fh, commit = _open(out, newline="" if fmt == "csv" else None)
        ok = False
        try:
            (write_jsonl if fmt == "jsonl" else write_csv)(table, fh)
            ok = True
        finally:
            commit(ok)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return table.num_rows


# ------------------------------------------------------------------ command line

def cmd_export(args) -> int:
    fmt = args.format or _SUFFIXES.get(Path(str(args.out)).suffix.lower())
    if fmt is None:
        print(f"error: cannot tell the format from --out {args.out}; pass --format jsonl|parquet|csv",
              file=sys.stderr)
        return 2
    try:
        n = export(args.processed, args.out, fmt)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"exported {n} listings from {args.processed}/ to {args.out} ({fmt})",
          file=sys.stderr if str(args.out) == "-" else sys.stdout)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="write one clean record per listing for catalogs (jsonl, parquet or csv)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write one record per listing of a processed folder, ordered by doc_id:\n"
                    "  doc_id, source, title, description_text, description_lang,\n"
                    "  sections          outline: [{section_id, parent_id, level, heading, heading_source}]\n"
                    f"  policy            {', '.join(POLICY_COLUMNS)}\n"
                    f"  quality flags     {', '.join(QUALITY_COLUMNS)}\n"
                    f"  provenance        {', '.join(f.name for f in PROVENANCE)}\n"
                    "The outline is a nested list in jsonl and parquet and a JSON string in csv. The JSON Lines\n"
                    "record is described by pipeline/export.schema.json (JSON Schema 2020-12). Output files are\n"
                    "written under a temporary name and renamed, so a failed export leaves no partial file.\n"
                    "Exit 0 on success, 2 when the processed folder is missing or unusable or --out is unusable.",
        epilog="examples:\n"
               "  python -m pipeline export --format jsonl --out listings.jsonl\n"
               "  python -m pipeline export --format parquet --out /data/listings.parquet --processed /data/processed\n"
               "  python -m pipeline export --format csv --out - > listings.csv")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the --out suffix: .jsonl, .parquet, .csv)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="output file; '-' writes jsonl or csv to stdout")
    p.add_argument("--processed", type=Path, default=Path("processed"),
                   help="the pipeline's output folder to export (default: processed/)")
    p.set_defaults(func=cmd_export)
