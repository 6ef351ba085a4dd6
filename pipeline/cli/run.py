"""`python -m pipeline run`: every stage on the raw folder, Parquet datasets out (the runner does the work)."""
from __future__ import annotations

import argparse
import glob
import math
import os
import sys
import tomllib
from pathlib import Path

# The reject reasons that do not count against --max-reject-rate: a duplicate is a record read twice, not
# one the pipeline could not use.
NOT_COUNTED = ("duplicate",)
EXIT_USAGE, EXIT_TOO_MANY_REJECTS = 2, 5


def usage_error(message: str):
    """Print `error: message` and exit 2 (argument errors never end in a traceback)."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def available_cpus() -> int:
    """The CPUs this process may use: its CPU affinity, capped by a cgroup CPU quota (containers, CI)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    for path, parse in (("/sys/fs/cgroup/cpu.max", lambda s: s.split()[:2]),
                        ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", None)):
        try:
            if parse is not None:
                quota, period = parse(Path(path).read_text())
            else:
                quota = Path(path).read_text().strip()
                period = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text().strip()
            if quota not in ("max", "-1") and int(period) > 0:
                n = min(n, max(1, math.ceil(int(quota) / int(period))))
                break
        except (OSError, ValueError):
            continue
    return max(1, n)


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}")
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def rate(value: str) -> float:
    try:
        r = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value!r}")
    if not 0 <= r <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {r}")
    return r


_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def field_map(args):
    """The FieldMap from --fields-config, then --field, --keep and --delimiter (usage errors exit 2)."""
    from pipeline.readers import FieldMap
    overrides = {}
    config = getattr(args, "fields_config", None)
    if config:
        try:
            with open(config, "rb") as fh:
                table = tomllib.load(fh)
        except FileNotFoundError:
            usage_error(f"--fields-config {config}: no such file")
        except OSError as exc:
            usage_error(f"--fields-config {config}: {exc.strerror or exc}")
        except tomllib.TOMLDecodeError as exc:
            usage_error(f"--fields-config {config}: not valid TOML ({exc})")
        if "fields" not in table:
            usage_error(f"--fields-config {config}: no [fields] table (expected e.g. [fields] text = \"mo_ta\")")
        overrides.update(table["fields"])
    for pair in getattr(args, "field", None) or []:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip() or not value:
            usage_error(f"--field expects ROLE=NAME (e.g. --field text=mo_ta), got {pair!r}")
        overrides[key.strip()] = value
    if getattr(args, "keep", None):
        overrides["keep"] = [k for arg in args.keep for k in arg.split(",")]
    if getattr(args, "delimiter", None):
        overrides["delimiter"] = _DELIMITER_NAMES.get(args.delimiter.lower(), args.delimiter)
    try:
        return FieldMap().with_overrides(overrides)
    except ValueError as exc:
        usage_error(str(exc))


def lock_holder(holder: dict) -> str:
    """'pid 4242 on host-a since 2026-12-01T10:00:00+00:00' for a removed `_lock`'s contents."""
    if not holder:
        return "an unknown holder (unreadable lock)"
    return f"pid {holder.get('pid')} on {holder.get('host')} since {holder.get('started_at')}"


def path_or_url(value: str):
    """A plain path as a Path; an fsspec URL (s3://, gs://, abfs://, file://) kept as its string."""
    from pipeline.readers.location import is_url
    return value if is_url(value) else Path(value)


def check_raw(raw) -> None:
    """Exit 2 with a message when --raw names nothing to read: a missing path, a glob matching nothing, a
    folder with no input files (for a URL: a prefix with no objects, or a store that cannot be listed)."""
    from pipeline.readers import iter_files, location
    if isinstance(raw, str):
        try:
            if next(iter(iter_files(location(raw))), None) is None:
                usage_error(f"--raw {raw}: no input objects there (hidden names are skipped)")
        except ImportError as exc:
            usage_error(str(exc))
        except FileNotFoundError:
            usage_error(f"--raw {raw} does not exist (no such object or prefix)")
        except OSError as exc:
            usage_error(f"--raw {raw} cannot be listed: {exc.strerror or exc}")
        return
    if glob.has_magic(str(raw)):
        if not glob.glob(str(raw), recursive=True):
            usage_error(f"--raw {raw}: the pattern matches no file")
        return
    if not raw.exists() and not raw.is_symlink():
        usage_error(f"--raw {raw} does not exist (no such file or folder)")
    if raw.is_dir() and next(iter(iter_files(raw)), None) is None:
        usage_error(f"--raw {raw}: the folder holds no input files (hidden files are skipped)")


def add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", type=path_or_url, default=Path("raw"),
                   help="the input: a folder (read recursively), a single file, or a quoted glob such as "
                        "'exports/*.csv.gz' (read-only; default: raw/); or an fsspec URL of a prefix, an "
                        "object or a glob (s3://bucket/raw/, gs://..., abfs://..., file://...). .gz and .zst "
                        "files are decompressed as they are read")
    p.add_argument("--field", action="append", metavar="ROLE=NAME",
                   help="record field (JSON key, CSV or Parquet column) to use for ROLE (title, text or id), "
                        "tried before the usual names; repeatable")
    p.add_argument("--keep", action="append", metavar="NAME[,NAME...]",
                   help="raw fields to carry through into catalog.extra, e.g. --keep price,url_key,seller_id,"
                        "category (also `keep = [...]` in the fields config)")
    p.add_argument("--fields-config", metavar="FILE",
                   help="TOML file with a [fields] table: title/text/id = NAME, keep = [NAME, ...], delimiter")
    p.add_argument("--delimiter", metavar="CHAR",
                   help="CSV delimiter (';', ',', tab, '|'); default: sniffed from each file's header line")
    p.add_argument("--max-bytes", type=positive_int, default=None,
                   help="reject input files (and records of streamed files) larger than this (default 50 MiB)")


def cmd_run(args) -> int:
    from pipeline.readers import DEFAULT_MAX_BYTES
    from pipeline.runner import BooksDoNotBalance, OutputRefused, Settings, run
    from pipeline.runner.write import OutputLocked
    raw, out = args.raw, args.out
    settings_fields = field_map(args)
    check_raw(raw)
    if isinstance(out, str):   # a URL: the store is reached (and the lock taken) by the run itself
        try:
            from pipeline.readers.location import filesystem
            filesystem(out)
        except ImportError as exc:
            usage_error(str(exc))
    else:
        try:
            out.parent.resolve().mkdir(parents=True, exist_ok=True)
            probe = out.resolve().parent / f".{out.name}.probe"
            probe.write_text("")
            probe.unlink()
        except OSError as exc:
            print(f"error: cannot write the output folder {out}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    settings = Settings(fields=settings_fields, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
    if args.break_lock and not isinstance(out, str):
        print(f"note: --break-lock: {out} is a local folder, whose lock is an OS lock released when its run "
              f"dies; there is nothing to break", file=sys.stderr)
    try:
        m = run(raw, out, settings, workers=args.workers, full=args.full, engine=args.engine,
                scheduler=args.scheduler, progress=not args.quiet, staging=args.staging,
                break_lock=args.break_lock)
    except OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OutputLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except BooksDoNotBalance as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    except OSError as exc:
        if not isinstance(out, str) and not isinstance(raw, str):
            raise
        # an object store refused (no bucket, no credentials, no permission): say which, no traceback
        print(f"error: object storage: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if m.get("lock_broken") is not None:
        print(f"warning: removed the lock {out}/_lock left by {lock_holder(m['lock_broken'])}",
              file=sys.stderr)
    if m.get("up_to_date"):
        print(f"{out}: up to date ({m['records_read']} records; nothing changed since {m['finished_at']}); "
              f"--full to redo")
        return 0
    rows = ", ".join(f"{k} {v}" for k, v in m["rows"].items())
    rej = ", ".join(f"{k} {v}" for k, v in m["rejects_by_reason"].items()) or "none"
    print(f"read {m['records_read']} records ({m['units']['processed']} units processed, "
          f"{m['units']['reused']} reused); rejected {m['rows']['rejects']} ({rej})")
    print(f"rows: {rows}")
    if m.get("publish"):
        pub = m["publish"]
        print(f"published run {m['run_id']} to {out}/_runs/ ({pub['uploaded']} files uploaded, {pub['copied']} "
              f"copied server-side from the previous run, {pub['runs_pruned']} old runs pruned); "
              f"{out}/_latest points at it")
    print(f"wrote {out}/ in {m['seconds']:.2f}s")
    return check_rejects(m, raw, out, args.max_reject_rate)


def check_rejects(m: dict, raw: Path, out: Path, max_rate: float) -> int:
    """Exit 5 with a one-line reason when the run read no records, or rejected more than max_rate of them."""
    if m["records_read"] == 0:
        print(f"error: read 0 records from {raw}", file=sys.stderr)
        return EXIT_TOO_MANY_REJECTS
    by_reason = {k: v for k, v in m["rejects_by_reason"].items() if k not in NOT_COUNTED}
    counted = m["records_read"] - sum(v for k, v in m["rejects_by_reason"].items() if k in NOT_COUNTED)
    rejected = sum(by_reason.values())
    if counted and rejected / counted > max_rate:
        top = ", ".join(f"{k} {v}" for k, v in sorted(by_reason.items(), key=lambda kv: -kv[1])[:3])
        print(f"error: rejected {rejected} of {counted} records ({rejected / counted:.0%}; {top}), over "
              f"--max-reject-rate {max_rate:g}; the reasons are in "
              f"{out}/{'_runs/' + m['run_id'] + '/' if m.get('run_id') else ''}rejects",
              file=sys.stderr)
        return EXIT_TOO_MANY_REJECTS
    return 0



def register(sub) -> None:
    p = sub.add_parser("run", help="run every stage on the raw folder and write the Parquet datasets",
                       description="Run every stage on --raw and write Parquet datasets to --out. Unchanged "
                                   "inputs are not re-processed; the output folder is replaced atomically "
                                   "when the run succeeds. Exit 0 when the run completed (even with some rejected "
                                   "records), 2 for unusable arguments (a missing or empty --raw, --field "
                                   "without '=', a missing --fields-config, --workers 0), 3 when another run "
                                   "holds the output, 4 when records read != documents + rejects, 5 when the run "
                                   "read 0 records or rejected more than --max-reject-rate of them (the output "
                                   "is written, so the rejects table says why).",
                       epilog="examples:\n"
                              "  python -m pipeline run --raw raw/ --out processed/\n"
                              "  python -m pipeline run --raw exports/products.jsonl.gz --keep price,url_key\n"
                              "  python -m pipeline run --raw 'exports/*.csv' --delimiter ';' "
                              "--field text=\"Mô tả\" --field id=\"Mã SP\"\n"
                              "  python -m pipeline run --raw shop.parquet --fields-config fields.toml\n"
                              "  python -m pipeline run --raw s3://bucket/raw/ --out s3://bucket/processed   "
                              "(pip install '.[s3]'; AWS_ENDPOINT_URL for S3-compatible servers)",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_args(p)
    p.add_argument("--out", type=path_or_url, default=Path("processed"),
                   help="output folder (default: processed/), swapped in atomically; or an fsspec URL "
                        "(s3://bucket/processed): each run is written under OUT/_runs/<run_id>/ and published "
                        "by writing OUT/_latest last (see docs/scale.md, Object storage)")
    p.add_argument("--staging", type=Path, default=None, metavar="DIR",
                   help="with an --out URL: the local folder a run is built in before it is uploaded, and "
                        "the copy of the last published run that the next run reuses (default: "
                        "~/.cache/listing-pipeline/stores/<hash of the URL>)")
    p.add_argument("--break-lock", action="store_true",
                   help="with an --out URL: remove OUT/_lock left by a run that died on another host (the "
                        "error of a locked output names its host, pid and start time); never removes the lock "
                        "of a run alive on this host. Only when that run is surely dead: two live runs would "
                        "both publish. (A local folder's lock is an OS lock that dies with its run.)")
    p.add_argument("--workers", type=positive_int, default=available_cpus(),
                   help="parallel processes (default: the CPUs this process may use, counting CPU affinity "
                        "and a cgroup quota: %(default)s here)")
    p.add_argument("--max-reject-rate", type=rate, default=0.5, metavar="RATE",
                   help="exit 5 when more than this share of the records is rejected (duplicates aside; "
                        "default %(default)s; 1 never fails)")
    p.add_argument("--full", action="store_true", help="re-process everything, ignoring the previous output")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or Dask distributed (needs `pip install .[dask]`)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_run)

