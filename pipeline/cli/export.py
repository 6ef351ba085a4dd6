"""`python -m pipeline export`: one clean record per listing of a processed folder (see `pipeline.runner.export`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.run import path_or_url
from pipeline.runner.export import (FORMATS, POLICY_COLUMNS, PROVENANCE, QUALITY_COLUMNS, ExportError, SnapshotChanged,
                                    export)

_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


def cmd_export(args) -> int:
    fmt = args.format or ("jsonl" if str(args.out) == "-" else _SUFFIXES.get(Path(str(args.out)).suffix.lower()))
    if fmt is None:
        print(f"error: cannot tell the format from --out {args.out}; pass --format jsonl|parquet|csv",
              file=sys.stderr)
        return 2
    try:
        n = export(args.processed, args.out, fmt)
    except SnapshotChanged as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
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
                    "record is described by pipeline/contract/export.schema.json (JSON Schema 2020-12; also\n"
                    "`schema --format jsonschema`). The export reads one consistent snapshot of the processed\n"
                    "folder (the part files its manifest lists), even while a run replaces it. Output files are\n"
                    "written under a temporary name and renamed, so a failed export leaves no partial file, and\n"
                    "nothing is created before the processed folder has been read. In csv, a text cell that\n"
                    "starts with = + - @ or a tab/CR is prefixed with ' so spreadsheets do not run it.\n"
                    "Exit 0 on success, 2 when the processed folder is missing or unusable or --out is unusable,\n"
                    "3 when the processed folder kept changing while it was read (a run swapping it): retry.",
        epilog="examples:\n"
               "  python -m pipeline export --format jsonl --out listings.jsonl\n"
               "  python -m pipeline export --format parquet --out /data/listings.parquet --processed /data/processed\n"
               "  python -m pipeline export --format csv --out - > listings.csv\n"
               "  python -m pipeline export --out - | head -1        (stdout, JSON Lines by default)\n"
               "  python -m pipeline export --processed s3://bucket/processed --out s3://bucket/feed.parquet")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the --out suffix: .jsonl, .parquet, .csv; jsonl for -)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="output file; '-' writes jsonl (default) or csv to stdout; or a URL "
                        "(s3://bucket/feed.jsonl), written locally and uploaded in one put")
    p.add_argument("--processed", type=path_or_url, default=Path("processed"),
                   help="the pipeline's output folder to export (default: processed/), or the URL a run "
                        "published to (s3://bucket/processed: its current run, as _latest names it)")
    p.set_defaults(func=cmd_export)
