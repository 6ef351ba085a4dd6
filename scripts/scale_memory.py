"""Peak memory of the client-side steps at N synthetic ids (default 1 M): planning (a JSON Lines file of N
records, first run and the re-plan from the manifest), the duplicate check (N ids in 1000-row documents
parts, a tenth of them repeated), export (a processed folder of N synthetic catalog rows) and compact (that
folder's 1000-row parts into a compacted copy; not in the default steps).

    .venv/bin/python scripts/scale_memory.py [-n 1000000] [--work /tmp/scale-memory] [--steps plan,dedup,export,compact]

`--like DIR --copies K` makes export's (and compact's) processed folder from a real one instead (e.g. a
`bench` run's `out-pipeline-1/`): K copies of every part, the doc_ids of copy k > 0 rehashed in the tables
export reads (catalog, documents, sections; the others are linked as they are), so export runs on K times
the real listings, with their real sizes, without running the pipeline K times (-n is then ignored).

The `*-files` steps measure what the client keeps per input FILE (issue 16): a folder of N small files
(`files/`, 1,000 a subfolder; one in 100 a short listing, the others a line the reader rejects, so the run's
workers have little to do), then
- `plan-files`: plan it and write what a run records of its inputs (the manifest's inputs);
- `replan-files`: plan it again against that record (nothing is read again);
- `run-files`: `run` it into `out-files/` (1 worker, in the client's process; a first run);
- `rerun-files`: `run` it again after one file changed (one unit processed, every other one reused);
- `export-files`: `export` of `out-files/` (JSON Lines) and its sha1-per-input lookup.

    .venv/bin/python scripts/scale_memory.py -n 100000 --steps plan-files,replan-files,run-files,rerun-files,export-files

Each step runs in its own process; the table gives its peak RSS (ru_maxrss) and CPU/wall seconds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROWS_PER_PART = 1000


def _id(i: int) -> str:
    """A doc_id as the pipeline makes them: 16 hex characters of a sha1 (uniform prefixes)."""
    return hashlib.sha1(str(i).encode()).hexdigest()[:16]


def make_jsonl(path: Path, n: int) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "title": f"Áo thun {i}", "description": f"Áo cotton số {i}. Đổi trả 7 ngày."},
                                ensure_ascii=False) + "\n")
    os.utime(path, (time.time() - 60, time.time() - 60))


def make_processed(folder: Path, n: int) -> None:
    """documents, catalog and sections parts of n synthetic listings, a manifest listing them."""
    if (folder / "manifest.json").exists():
        return
    import pyarrow as pa
    from pipeline.contract.schema import SCHEMA_VERSION, TABLES
    from pipeline.runner.write import part_list, write_part

    def column(f, ids, lo):
        t, k = f.type, len(ids)
        if f.name == "doc_id":
            return pa.array(ids, t)
        if f.name == "source":
            return pa.array([f"feed.jsonl#{lo + i + 1}" for i in range(k)], t)
        if pa.types.is_string(t):
            return pa.array(["x" * 40] * k, t) if not f.nullable or f.name in ("title", "text", "description_text") else pa.nulls(k, t)
        if pa.types.is_boolean(t):
            return pa.array([False] * k, t)
        if pa.types.is_list(t):
            return pa.array([[] for _ in range(k)], t)
        if f.nullable:
            return pa.nulls(k, t)
        return pa.array([0] * k, t)

    for lo in range(0, n, ROWS_PER_PART):
        ids = [_id(lo + i) for i in range(min(ROWS_PER_PART, n - lo))]
        for name in TABLES:
            schema = TABLES[name]
            if name in ("documents", "catalog"):
                t = pa.table([column(f, ids, lo) for f in schema], schema=schema)
            elif name == "sections":
                t = pa.table([column(f, ids, lo) if f.name != "section_id" else pa.array([0] * len(ids), f.type)
                              for f in schema], schema=schema)
            else:
                t = schema.empty_table()
            write_part(t, folder / name / f"part-{lo // ROWS_PER_PART:06d}.parquet")
    rows = {name: (n if name in ("documents", "catalog", "sections") else 0) for name in TABLES}
    (folder / "manifest.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION, "pipeline_version": "bench",
                                                      "rows": rows, "parts": part_list(folder)}))


def replicate(like: Path, folder: Path, copies: int) -> int:
    """`copies` copies of the processed folder `like` in `folder` (see the module's doc). Returns the rows
    of its catalog."""
    if (folder / "manifest.json").exists():
        return json.loads((folder / "manifest.json").read_text())["rows"]["catalog"]
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pipeline.contract.schema import TABLES
    from pipeline.runner.write import part_list, write_part
    manifest = json.loads((like / "manifest.json").read_text())
    for name in TABLES:
        (folder / name).mkdir(parents=True, exist_ok=True)
        for part in manifest["parts"][name]:
            for k in range(copies):
                dst = folder / name / part.replace("part-", f"part-{k:03d}", 1)
                if k == 0 or name not in ("catalog", "documents", "sections"):
                    os.link(like / name / part, dst)
                    continue
                t = pq.read_table(like / name / part)
                ids = [hashlib.sha1(f"{k}:{d}".encode()).hexdigest()[:16] for d in t["doc_id"].to_pylist()]
                write_part(t.set_column(t.schema.get_field_index("doc_id"), t.schema.field("doc_id"), pa.array(ids, pa.string())), dst)
    manifest["rows"] = {name: n * copies for name, n in manifest["rows"].items()}
    manifest["parts"] = part_list(folder)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest["rows"]["catalog"]


def make_files(folder: Path, n: int) -> None:
    """n small files, 1,000 a subfolder: every 100th a short listing, the others a line of digits (a
    `no_letters` reject), all with an old mtime (not racily new)."""
    if (folder / ".complete").exists() and len(list(folder.iterdir())) - 1 == -(-n // 1000):
        return
    old = time.time() - 3600
    for i in range(n):
        sub = folder / f"d{i // 1000:05d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"listing-{i:08d}.txt"
        path.write_text(f"Mũ len {i}\n\nĐổi trả trong {i % 9 + 1} ngày.\n" if i % 100 == 0 else f"{i}\n",
                        encoding="utf-8")
        os.utime(path, (old, old))
    (folder / ".complete").write_text("")


def _plan(raw: Path, record: Path, again: bool) -> None:
    """Plan `raw` as a run does, its inputs recorded in `record/` (a sidecar and a manifest naming it);
    `again`: plan against that record (nothing is read again) and leave it as it was."""
    from pipeline.runner import manifest as books
    from pipeline.runner.plan import Settings, plan
    record.mkdir(exist_ok=True)
    previous = books.previous_inputs(record, books.read_manifest(record)) if again else None
    tmp = record / "inputs.parquet.new"
    p = plan(raw, Settings(), previous, inputs_to=tmp)
    if again:
        tmp.unlink(missing_ok=True)
    else:
        os.replace(tmp, record / books.INPUTS_FILE)
        (record / "manifest.json").write_text(json.dumps({"input_files": p.input_files}))
    print(len(p.units), "units", p.input_files["files"], "inputs", file=sys.stderr)


def _export_files(work: Path) -> None:
    from pipeline.runner import export as ex
    n = ex.export(work / "out-files", work / "export-files.jsonl", "jsonl")
    with ex.Snapshot(work / "out-files", tables=ex.EXPORTED_TABLES) as snap:
        lookup = ex.sha1_lookup(snap)
        print(n, "records", len(lookup), "inputs looked up", file=sys.stderr)


def make_dedup_parts(folder: Path, n: int) -> list[tuple[str, Path]]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for u, lo in enumerate(range(0, n, ROWS_PER_PART)):
        path = folder / f"part-{u:06d}.parquet"
        # every tenth id repeats one of the previous part's
        ids = [_id((lo + i) if i % 10 else (lo + i - ROWS_PER_PART)) for i in range(min(ROWS_PER_PART, n - lo))]
        if not path.exists():
            pq.write_table(pa.table({"doc_id": ids, "source": [f"feed.jsonl#{lo + i + 1}" for i in range(len(ids))]}), path)
        parts.append((f"u{u:06d}", path))
    return parts


def step(name: str, n: int, work: Path) -> None:
    """Run one step in this process (the parent measures it)."""
    if name in ("plan-files", "replan-files"):
        _plan(work / "files", work / "plan-files", again=name == "replan-files")
    elif name in ("run-files", "rerun-files"):
        from pipeline.runner import run
        if name == "rerun-files":   # one file changed: one unit processed, the others reused
            path = work / "files" / "d00000" / "listing-00000001.txt"
            path.write_text(f"{time.time_ns()}\n", encoding="utf-8")
            os.utime(path, (time.time() - 60, time.time() - 60))
        m = run(work / "files", work / "out-files", workers=1, progress=False)
        print(m["units"], m["rows"]["documents"], "documents", file=sys.stderr)
    elif name == "export-files":
        _export_files(work)
    elif name in ("plan", "plan-cached"):
        _plan(work / "raw", work / "plan-raw", again=name == "plan-cached")
    elif name == "dedup":
        from pipeline.runner.dedup import find_duplicates
        found = find_duplicates(make_dedup_parts(work / "dedup", n), work / "dedup-spill")
        print(len(found), "duplicates", file=sys.stderr)
    elif name == "export":
        from pipeline.runner.export import export
        print(export(work / "processed", work / "export.jsonl", "jsonl"), "records", file=sys.stderr)
    elif name == "compact":
        from pipeline.runner.compact import compact
        m = compact(work / "processed", out=work / "compacted", progress=False)
        print(m["compacted"]["files_before"], "->", m["compacted"]["files_after"], "files", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1_000_000, help="synthetic ids (default 1000000)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/scale-memory"), help="folder for the synthetic data")
    ap.add_argument("--steps", default="plan,plan-cached,dedup,export")
    ap.add_argument("--like", type=Path, help="a real processed folder to replicate for export/compact")
    ap.add_argument("--copies", type=int, default=10, help="with --like: copies of it (default 10)")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        step(args.step, args.n, args.work)
        return 0
    steps = args.steps.split(",")
    if any(s.endswith("-files") for s in steps):
        make_files(args.work / "files", args.n)
    if any(s.startswith("plan") and not s.endswith("-files") for s in steps):
        make_jsonl(args.work / "raw" / "feed.jsonl", args.n)
    if args.like and ("export" in steps or "compact" in steps):
        args.n = replicate(args.like, args.work / "processed", args.copies)
    elif "export" in steps or "compact" in steps:
        make_processed(args.work / "processed", args.n)
    print(f"| step | ids | peak RSS MB | CPU s | wall s |\n|---|---|---|---|---|")
    for s in steps:
        # each step in a fresh interpreter: ru_maxrss of RUSAGE_CHILDREN is the max over children, so
        # measure each in its own grandchild through a wrapper to get its own peak
        out = subprocess.run([sys.executable, "-c", (
            "import resource,subprocess,sys,time;t=time.perf_counter();"
            f"subprocess.run([sys.executable,{__file__!r},'--step',{s!r},'-n','{args.n}','--work',{str(args.work)!r}],check=True);"
            "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(r.ru_maxrss/1024, r.ru_utime+r.ru_stime, time.perf_counter()-t)")],
            capture_output=True, text=True, check=True)
        rss, cpu, wall = map(float, out.stdout.split())
        print(f"| {s} | {args.n} | {rss:.0f} | {cpu:.1f} | {wall:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
