"""Command line: `python -m pipeline run` does everything; each stage also runs on its own.

    python -m pipeline run [--raw raw/] [--out processed/]      the whole job, Parquet out
    python -m pipeline ingest --raw raw/ > listings.jsonl       raw files -> listing records (JSON Lines)
    python -m pipeline segment < listings.jsonl > out.jsonl     one stage: records in, records out
    python -m pipeline schema                                   the data dictionary (Markdown)
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tomllib
from pathlib import Path

from . import __version__

STAGE_NAMES = ("segment", "langid", "zones", "facts", "sections", "quality")


def _fields(args):
    from .readers import FieldMap
    overrides = {}
    if getattr(args, "fields_config", None):
        with open(args.fields_config, "rb") as fh:
            overrides.update(tomllib.load(fh).get("fields", {}))
    for pair in getattr(args, "field", None) or []:
        key, _, value = pair.partition("=")
        if not value:
            raise SystemExit(f"error: --field expects ROLE=NAME (e.g. title=ten_san_pham), got {pair!r}")
        overrides[key] = value
    try:
        return FieldMap().with_overrides(overrides)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}")


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", type=Path, default=Path("raw"), help="input folder (read-only; default: raw/)")
    p.add_argument("--field", action="append", metavar="ROLE=NAME",
                   help="record field to use for ROLE (title, text or id), tried before the usual names; repeatable")
    p.add_argument("--fields-config", metavar="FILE", help="TOML file with a [fields] table: title/text/id = NAME")
    p.add_argument("--max-bytes", type=int, default=None, help="reject input files larger than this (default 50 MiB)")


def cmd_run(args) -> int:
    from .readers import DEFAULT_MAX_BYTES
    from .run import BooksDoNotBalance, OutputRefused, Settings, run
    from .write import OutputLocked
    raw, out = args.raw, args.out
    if not raw.is_dir():
        print(f"error: raw folder {raw} does not exist or is not a folder", file=sys.stderr)
        return 2
    try:
        out.parent.resolve().mkdir(parents=True, exist_ok=True)
        probe = out.resolve().parent / f".{out.name}.probe"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        print(f"error: cannot write the output folder {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    settings = Settings(fields=_fields(args), max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
    try:
        m = run(raw, out, settings, workers=args.workers, full=args.full, engine=args.engine,
                scheduler=args.scheduler, progress=not args.quiet)
    except OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OutputLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except BooksDoNotBalance as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    if m.get("up_to_date"):
        print(f"{out}: up to date ({m['records_read']} records; nothing changed since {m['finished_at']}); "
              f"--full to redo")
        return 0
    rows = ", ".join(f"{k} {v}" for k, v in m["rows"].items())
    rej = ", ".join(f"{k} {v}" for k, v in m["rejects_by_reason"].items()) or "none"
    print(f"read {m['records_read']} records ({m['units']['processed']} units processed, "
          f"{m['units']['reused']} reused); rejected {m['rows']['rejects']} ({rej})")
    print(f"rows: {rows}")
    print(f"wrote {out}/ in {m['seconds']:.2f}s")
    return 0


def cmd_ingest(args) -> int:
    from .readers import DEFAULT_MAX_BYTES, iter_files, read_file
    from .contract.records import Reject
    if not args.raw.is_dir():
        print(f"error: raw folder {args.raw} does not exist", file=sys.stderr)
        return 2
    fields = _fields(args)
    for entry in iter_files(args.raw):
        recs = [entry] if isinstance(entry, Reject) else read_file(entry, args.raw, fields,
                                                                    args.max_bytes or DEFAULT_MAX_BYTES)
        for rec in recs:
            if isinstance(rec, Reject):
                print(f"rejected {rec.source}: {rec.reason}: {rec.message}", file=sys.stderr)
            else:
                sys.stdout.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    return 0


def cmd_stage(args) -> int:
    from .contract.records import Listing
    from .stages import STAGES, run_stage
    stage = STAGES[args.command]
    src = open(args.input, encoding="utf-8") if args.input else sys.stdin
    for lineno, line in enumerate(src, 1):
        if not line.strip():
            continue
        try:
            listing = Listing.from_dict(json.loads(line))
        except (ValueError, TypeError) as exc:
            print(f"error: line {lineno}: not a listing record ({exc})", file=sys.stderr)
            return 2
        sys.stdout.write(json.dumps(run_stage(stage, listing).to_dict(), ensure_ascii=False) + "\n")
    return 0


def cmd_schema(args) -> int:
    from .contract.schema import data_dictionary
    print(data_dictionary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Vietnamese marketplace listings -> clean, typed Parquet datasets "
                    "(documents, blocks, policy_facts, sections, sentences, catalog, rejects).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run every stage on the raw folder and write the Parquet datasets",
                       description="Run every stage on --raw and write Parquet datasets to --out. Unchanged "
                                   "inputs are not re-processed; the output folder is replaced atomically "
                                   "when the run succeeds. Exit 0 when the run completed (even with rejected "
                                   "records), 2 for unusable arguments, 3 when another run holds the output, "
                                   "4 when records read != documents + rejects.")
    _add_input_args(p)
    p.add_argument("--out", type=Path, default=Path("processed"), help="output folder (default: processed/)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    p.add_argument("--full", action="store_true", help="re-process everything, ignoring the previous output")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or Dask distributed (needs `pip install .[dask]`)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("ingest", help="read the raw folder and print listing records as JSON Lines",
                       description="Read --raw and write one JSON record per listing to stdout; rejected "
                                   "inputs are reported on stderr. Pipe into a stage command.")
    _add_input_args(p)
    p.set_defaults(func=cmd_ingest)

    for name in STAGE_NAMES:
        p = sub.add_parser(name, help=f"run the {name} stage on listing records (JSON Lines in and out)",
                           description=f"Read listing records (JSON Lines, from `ingest` or an earlier stage) "
                                       f"from --input or stdin, apply the {name} stage, write them to stdout. "
                                       f"Stages run in this order: {', '.join(STAGE_NAMES)}.")
        p.add_argument("--input", metavar="FILE", help="JSON Lines input (default: stdin)")
        p.set_defaults(func=cmd_stage)

    p = sub.add_parser("schema", help="print the data dictionary of every output table (Markdown)")
    p.set_defaults(func=cmd_schema)

    # Commands that live in their own modules register their own parsers.
    for module in ("export", "evaluate", "bench"):
        importlib.import_module(f"pipeline.{module}").register(sub)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
