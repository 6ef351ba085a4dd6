"""`python -m pipeline run`: every stage on the raw folder, Parquet datasets out (the runner does the work)."""
from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path


def field_map(args):
    from pipeline.readers import FieldMap
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


def add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", type=Path, default=Path("raw"), help="input folder (read-only; default: raw/)")
    p.add_argument("--field", action="append", metavar="ROLE=NAME",
                   help="record field to use for ROLE (title, text or id), tried before the usual names; repeatable")
    p.add_argument("--fields-config", metavar="FILE", help="TOML file with a [fields] table: title/text/id = NAME")
    p.add_argument("--max-bytes", type=int, default=None, help="reject input files larger than this (default 50 MiB)")


def cmd_run(args) -> int:
    from pipeline.readers import DEFAULT_MAX_BYTES
    from pipeline.runner import BooksDoNotBalance, OutputRefused, Settings, run
    from pipeline.runner.write import OutputLocked
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
    settings = Settings(fields=field_map(args), max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
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



def register(sub) -> None:
    p = sub.add_parser("run", help="run every stage on the raw folder and write the Parquet datasets",
                       description="Run every stage on --raw and write Parquet datasets to --out. Unchanged "
                                   "inputs are not re-processed; the output folder is replaced atomically "
                                   "when the run succeeds. Exit 0 when the run completed (even with rejected "
                                   "records), 2 for unusable arguments, 3 when another run holds the output, "
                                   "4 when records read != documents + rejects.")
    add_input_args(p)
    p.add_argument("--out", type=Path, default=Path("processed"), help="output folder (default: processed/)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    p.add_argument("--full", action="store_true", help="re-process everything, ignoring the previous output")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or Dask distributed (needs `pip install .[dask]`)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_run)

