"""`python -m pipeline bench`: generate a corpus of varied listings, then time in one go
- the pipeline (`run`) with 1 worker and with all workers,
- the naive baseline: plain seeded langdetect on every block plus a spaCy sentencizer on every block,
- the floor: reading, normalizing and writing the same listings to Parquet without analysis,
- `export` of a pipeline job's output (`export-K` exports what `pipeline-K` wrote, as JSON Lines),
and print listings/s, MB/s, peak RSS and per-stage CPU seconds (with wall seconds beside: on a shared
machine wall time counts other processes' turns on the core). Each measurement runs in a fresh process so
peak RSS is its own; its start-up (the imports) and its CPU seconds are shown beside. `--repeat N` measures
every job N times, round by round, and shows each job's best run with the range over the N runs (listings/s,
and the ratios taken within one round: vs floor, workers vs one worker).

The generated corpus mixes three shapes: seed-like articles (the sample listing with every paragraph
made different), real corpus records (JSON Lines, from --corpus when present) and HTML pages.
"""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

SEED = Path("raw/000_80d7723cb6c526a9.txt")   # the sample listing, relative to the working directory (--seed-listing)


def generate(out: Path, n: int, corpus: Path | None, seed: int = 0, seed_listing: Path = SEED) -> dict:
    """Write n listings into out/ (a third of each shape when the corpus is there). Returns counts."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "seed").mkdir(parents=True)
    (out / "html").mkdir()
    lines = Path(seed_listing).read_text(encoding="utf-8").split("\n")
    words = [w for line in lines[7:] for w in line.split()]
    records = []
    if corpus and (corpus / "products.jsonl").exists():
        records = (corpus / "products.jsonl").read_text(encoding="utf-8").splitlines()
    shapes = ["seed", "html", "corpus"] if records else ["seed", "html"]
    counts = {s: 0 for s in shapes}
    corpus_out = None
    for i in range(n):
        shape = shapes[i % len(shapes)]
        counts[shape] += 1
        if shape == "seed":
            # Every paragraph different: each gets a listing- and paragraph-specific word swapped in.
            body = [f"{p} {rng.choice(words)} {i}-{k}." if k >= 7 and p else p for k, p in enumerate(lines)]
            (out / "seed" / f"listing-{i:07d}.txt").write_text("\n".join(body), encoding="utf-8")
        elif shape == "html":
            paras = rng.sample(lines[7:-1], 6)
            html = ("<html><head><title>x</title><script>var a=1;</script></head><body><nav>Trang chủ</nav>"
                    f"<h1>Sản phẩm {i}</h1><h2>Chính sách</h2><ul><li>{lines[1]}</li><li>{lines[2][2:]}</li>"
                    f"<li>{lines[5][2:]}</li></ul><h2>Mô tả sản phẩm</h2>"
                    + "".join(f"<p>{p} ({i})</p>" for p in paras) + "<footer>© shop</footer></body></html>")
            (out / "html" / f"page-{i:07d}.html").write_text(html, encoding="utf-8")
        else:
            if corpus_out is None or counts["corpus"] % 1000 == 1:
                if corpus_out:
                    corpus_out.close()
                corpus_out = open(out / f"corpus-{counts['corpus'] // 1000:04d}.jsonl", "w", encoding="utf-8")
            rec = json.loads(records[(i // len(shapes)) % len(records)])
            rec["id"] = f"{rec['id']}-{i}"  # distinct listings even when the corpus repeats
            corpus_out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if corpus_out:
        corpus_out.close()
    return counts


# ------------------------------------------------------------------ measured jobs (run in a child process)

def _listings(raw: Path):
    """Every usable listing under raw (rejects skipped)."""
    from pipeline.contract.records import Reject
    from pipeline.readers import iter_files, read_file
    for path in iter_files(raw):
        if not isinstance(path, Reject):
            yield from (rec for rec in read_file(path, raw) if not isinstance(rec, Reject))


def _floor(raw: Path, out: Path) -> dict:
    """Read, normalize and write to Parquet without analysis."""
    from pipeline.runner.write import to_table, write_part
    rows, n, part = [], 0, 0
    for rec in _listings(raw):
        n += 1
        rows.append({"doc_id": rec.doc_id, "source": rec.source, "format": rec.format, "title": rec.title,
                     "text": rec.text, "n_chars": len(rec.text), "n_blocks": 0})
        if len(rows) >= 1000:
            write_part(to_table("documents", rows), out / "documents" / f"part-{part:05d}.parquet")
            rows, part = [], part + 1
    write_part(to_table("documents", rows), out / "documents" / f"part-{part:05d}.parquet")
    return {"listings": n}


def _naive(raw: Path, out: Path) -> dict:
    """The slow path the issue measured: plain langdetect on every block plus spaCy on every block."""
    from pipeline.stages.langid import detect_plain
    from pipeline.stages.segment import segment
    from pipeline.text.sentences import nlp_for
    n = 0
    nlp = nlp_for("en")
    for rec in _listings(raw):
        n += 1
        blocks = segment(rec).blocks
        for b in blocks:
            detect_plain(b.text)
        for doc in nlp.pipe(b.text for b in blocks):
            list(doc.sents)
    return {"listings": n}


def _pipeline(raw: Path, out: Path, workers: int) -> dict:
    from pipeline.runner import run
    m = run(raw, out, workers=workers, full=True, progress=False)
    return {"listings": m["rows"]["documents"], "stage_seconds": m["stage_seconds"],
            "stage_cpu_seconds": m.get("stage_cpu_seconds", {})}


def _export(processed: Path, out: Path) -> dict:
    """`export` of a pipeline output to JSON Lines (its peak RSS is the number the issue asks to keep flat)."""
    from pipeline.runner.export import export
    return {"listings": export(processed, out, "jsonl")}


# The modules each job imports before it starts (timed apart as its start-up: per process, not per listing).
_STARTUP_IMPORTS = {"export": ("pipeline.runner.export",), "floor": ("pipeline.readers", "pipeline.runner.write"),
                    "naive": ("pipeline.stages.langid", "pipeline.stages.segment", "pipeline.text.sentences"),
                    "pipeline": ("pipeline.runner.local",)}


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its finished children (the workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def child(job: str, raw: str, out: str, workers: int) -> None:
    import importlib
    from pipeline.runner.arrow import arrow_without_pandas
    t0 = time.perf_counter()
    arrow_without_pandas()   # as `python -m pipeline` does: the jobs are measured as the commands run
    for name in _STARTUP_IMPORTS[job]:
        importlib.import_module(name)
    startup = time.perf_counter() - t0
    if job == "export":
        res = _export(Path(raw), Path(out))
    elif job == "floor":
        res = _floor(Path(raw), Path(out))
    elif job == "naive":
        res = _naive(Path(raw), Path(out))
    else:
        res = _pipeline(Path(raw), Path(out), workers)
    res["seconds"] = time.perf_counter() - t0
    res["startup_seconds"] = startup   # imports, included in seconds
    res["cpu_seconds"] = _cpu_seconds()   # the interpreter's own start before t0 included
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    res["peak_rss_mb"] = peak / 1024
    print(json.dumps(res))


def measure(job: str, raw: Path, out: Path, workers: int = 1) -> dict:
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    cmd = [sys.executable, "-c", f"from pipeline.cli.bench import child; child({job!r}, {str(raw)!r}, {str(out)!r}, {workers})"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


JOBS = ("floor", "naive", "pipeline", "export")


def parse_jobs(spec: str, workers: int) -> list[tuple[str, int]]:
    """`floor,pipeline-1,pipeline-N` -> [(job, workers)]: `-N` is all workers, `-K` is K; an unknown name is
    an error, not a silent one-worker run.

    >>> parse_jobs("floor,pipeline-1,pipeline-2,pipeline-N", 4)
    [('floor', 1), ('pipeline', 1), ('pipeline', 2), ('pipeline', 4)]
    >>> parse_jobs("pipeline-2,export-2", 4)
    [('pipeline', 2), ('export', 2)]
    """
    jobs = []
    for name in filter(None, (n.strip() for n in spec.split(","))):
        job, _, count = name.partition("-")
        if job not in JOBS or not (count in ("", "N") or (count.isdigit() and int(count) > 0)):
            raise SystemExit(f"error: --jobs: unknown job {name!r}; use {', '.join(JOBS)} with -1, -K or -N "
                             f"(e.g. pipeline-2)")
        jobs.append((job, workers if count == "N" else int(count or 1)))
    return jobs


def cmd_bench(args) -> int:
    corpus = args.corpus if args.corpus and args.corpus.exists() else None
    work = args.work
    workers = args.workers or os.cpu_count() or 1
    print(f"# bench: {args.n} listings, {workers} workers max, corpus {'yes' if corpus else 'no'}; work dir {work}")
    counts = generate(work / "raw", args.n, corpus, seed_listing=args.seed_listing)
    mb = sum(p.stat().st_size for p in (work / "raw").rglob("*") if p.is_file()) / 2**20
    print(f"# generated {counts} ({mb:.1f} MB)")
    jobs = parse_jobs(args.jobs, workers)
    repeat = max(1, args.repeat)
    runs: dict[tuple[str, int], list[dict]] = {}   # (job, workers) -> one result per round
    for round_ in range(repeat):   # round by round, so a change of the machine's load touches every job alike
        measured = set()
        for job, w in jobs:
            if job == "export":
                # export-K reads what pipeline-K wrote in this bench: it must come after it in --jobs.
                if ("pipeline", w) not in measured:
                    raise SystemExit(f"error: --jobs: export-{w} exports pipeline-{w}'s output; list pipeline-{w} "
                                     f"before it (e.g. --jobs pipeline-{w},export-{w})")
                res = measure(job, work / f"out-pipeline-{w}", work / f"export-{w}.jsonl", 1)
            else:
                res = measure(job, work / "raw", work / f"out-{job}-{w}", w)
            runs.setdefault((job, w), []).append(res)
            measured.add((job, w))
            print(f"  {job} x{w}{f' (run {round_ + 1}/{repeat})' if repeat > 1 else ''}: {res['seconds']:.1f}s",
                  file=sys.stderr)
    print_table(runs, mb, workers)
    one = best(runs.get(("pipeline", 1)) or runs.get(("pipeline", workers)) or [])
    if not one:
        return 0
    print_stages(one, ("1 worker" if ("pipeline", 1) in runs else f"summed over {workers} workers")
                 + (f", best of {repeat}" if repeat > 1 else ""))
    return 0


def best(results: list[dict]) -> dict | None:
    """The fastest of a job's runs (fewest seconds): the one least slowed by the rest of the machine."""
    return min(results, key=lambda r: r["seconds"]) if results else None


def spread(values: list[float]) -> str:
    """A range as the table prints it: one value alone, else 'low-high'.

    >>> spread([2.0]), spread([1.84, 1.5, 1.71])
    ('2.00', '1.50-1.84')
    """
    return f"{values[0]:.2f}" if len(values) == 1 else f"{min(values):.2f}-{max(values):.2f}"


def job_label(job: str, w: int) -> str:
    return f"export (of pipeline x{w})" if job == "export" else job


def print_table(runs: dict[tuple[str, int], list[dict]], mb: float, workers: int) -> None:
    """One row per job: its best run (and, over several runs, the range of listings/s and of the time vs
    floor); then the same-run ratios (each round's pipeline-N against that round's pipeline-1 and naive) as
    best and range. Peak RSS is the largest of the job's runs. `start-up s`: imports, part of `seconds`; `CPU
    s`: user + system of the job's process and its workers."""
    n_runs = max(len(v) for v in runs.values())
    floors = runs.get(("floor", 1))

    def rate(r: dict) -> float:
        return r["listings"] / r["seconds"]

    print()
    ranged = n_runs > 1
    print("| job | workers | listings | seconds | listings/s | listings/s/core | MB/s | peak RSS MB | time vs floor |"
          + (" runs | range listings/s | range vs floor |" if ranged else "") + " start-up s | CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if ranged else "") + "---:|---:|")
    for (job, w), results in runs.items():
        r = best(results)
        vs = f"{rate(best(floors)) / rate(r):.2f}x" if floors else "-"
        row = (f"| {job_label(job, w)} | {w if job != 'export' else 1} | {r['listings']} | {r['seconds']:.2f} | "
               f"{rate(r):.1f} | {rate(r) / (w if job != 'export' else 1):.1f} | {mb / r['seconds']:.2f} | "
               f"{max(x['peak_rss_mb'] for x in results):.0f} | {vs} |")
        if ranged:
            same_run = [rate(f) / rate(x) for f, x in zip(floors, results)] if floors else []
            row += (f" {len(results)} | {min(map(rate, results)):.1f}-{max(map(rate, results)):.1f} | "
                    f"{spread(same_run) + 'x' if same_run else '-'} |")
        print(row + f" {r.get('startup_seconds', 0.0):.2f} | {r.get('cpu_seconds', 0.0):.2f} |")
    ones, multis = runs.get(("pipeline", 1)), runs.get(("pipeline", workers))
    if ones and multis and workers > 1:
        ratios = [a["seconds"] / b["seconds"] for a, b in zip(ones, multis)]
        # Without start-up: the throughput ratio once the processes are up (imports are per process).
        steady = [(a["seconds"] - a.get("startup_seconds", 0.0)) / (b["seconds"] - b.get("startup_seconds", 0.0))
                  for a, b in zip(ones, multis)]
        print(f"\nspeed-up {workers} workers vs 1: {best(ones)['seconds'] / best(multis)['seconds']:.2f}x "
              f"(best vs best){f'; same-run ratios {spread(ratios)}x' if len(ratios) > 1 else ''}; "
              f"without start-up {spread(steady)}x")
    naives = runs.get(("naive", 1))
    if ones and naives:
        ratios = [n["seconds"] / o["seconds"] for n, o in zip(naives, ones)]
        print(f"pipeline (1 worker) vs naive baseline: {best(naives)['seconds'] / best(ones)['seconds']:.1f}x faster"
              + (f" (same-run ratios {spread(ratios)}x)" if len(ratios) > 1 else ""))


def print_stages(res: dict, label: str) -> None:
    """The stage table: CPU seconds (the worker thread's own, so other processes on a shared machine do not
    count), their share and CPU ms per listing, with wall seconds beside for comparison."""
    cpu, wall = res.get("stage_cpu_seconds") or {}, res.get("stage_seconds", {})
    shown = cpu or wall
    total = sum(shown.values()) or 1
    print(f"\n| stage ({label}) | CPU s | share | CPU ms/listing | wall s |\n|---|---:|---:|---:|---:|"
          if cpu else f"\n| stage ({label}) | wall s | share | wall ms/listing |\n|---|---:|---:|---:|")
    for k, v in sorted(shown.items(), key=lambda kv: -kv[1]):
        row = f"| {k} | {v:.2f} | {v / total:.0%} | {v / res['listings'] * 1000:.2f} |"
        print(row + (f" {wall.get(k, 0.0):.2f} |" if cpu else ""))


def register(sub) -> None:
    p = sub.add_parser("bench", help="benchmark throughput and memory (prints a table)",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=3000, help="listings to generate (default 3000)")
    p.add_argument("--corpus", type=Path, default=None, help="folder with products.jsonl (e.g. ../shared/corpus)")
    p.add_argument("--seed-listing", type=Path, default=SEED,
                   help=f"the listing the seed-like articles are made from (default {SEED})")
    p.add_argument("--work", type=Path, default=Path("bench-out"), help="scratch folder (default bench-out/)")
    p.add_argument("--workers", type=int, default=None, help="the 'all workers' setting (default: all cores)")
    p.add_argument("--jobs", default="floor,naive,pipeline-1,pipeline-N",
                   help="what to measure, comma-separated: floor, naive, pipeline-1 (one worker), pipeline-K "
                        "(K workers), pipeline-N (all workers), export-K (export of pipeline-K's output, listed "
                        "after it); e.g. --jobs pipeline-N,export-N to watch memory at a large -n")
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="measure every job N times, round by round (default 1); the table shows each job's best "
                        "run with the range of its listings/s and of its same-run ratios (vs floor, workers vs 1 "
                        "worker, vs naive), so ratios can be quoted with their spread on a shared machine")
    p.set_defaults(func=cmd_bench)
