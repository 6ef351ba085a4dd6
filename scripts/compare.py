"""Row-for-row comparison of this tree's pipeline output with another commit's (`make compare REF=<commit>`).

The other commit is exported (`git archive`) into a temporary folder; both versions then run
`python -m pipeline run` (each from its own tree, the same interpreter and dependencies) on the same
inputs: the raw/ sample, the corpus's products.jsonl when the corpus folder has it, and listings made by
the bench's generator. Every output table is read back, its rows sorted (key columns first, then every
column), and compared. Prints, per table: rows on each side, equal yes/no, and the first difference.
Exit 0 when every table is identical, 1 otherwise.

    python scripts/compare.py REF [--corpus ../shared/corpus] [-n 900] [--keep DIR]
"""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pyarrow.dataset as pads

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("documents", "blocks", "policy_facts", "sections", "sentences", "catalog", "rejects")
KEYS = {   # sort keys of each table (then every column, so ties are ordered too)
    "documents": ["doc_id"], "blocks": ["doc_id", "block_id"],
    "policy_facts": ["doc_id", "char_start", "char_end", "fact_type"],
    "sections": ["doc_id", "section_id"], "sentences": ["doc_id", "sentence_id"],
    "catalog": ["doc_id", "source"], "rejects": ["source", "reason"],
}


def export_tree(ref: str, dest: Path) -> str:
    """`git archive` of REF into dest; returns the full commit id."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    data = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return commit


def make_inputs(tree: Path, inputs: Path, corpus: Path | None, n: int) -> dict:
    """raw/ sample, corpus records and bench-generated listings under one input folder."""
    shutil.copytree(ROOT / "raw", inputs / "sample")
    counts = {"sample": sum(1 for p in (inputs / "sample").rglob("*") if p.is_file())}
    if corpus and (corpus / "products.jsonl").is_file():
        (inputs / "corpus").mkdir()
        shutil.copy2(corpus / "products.jsonl", inputs / "corpus" / "products.jsonl")
        counts["corpus"] = sum(1 for _ in open(corpus / "products.jsonl", encoding="utf-8"))
    # Inputs every reader rejects or reads oddly, so the rejects table has rows of every kind.
    edge = inputs / "edge"
    edge.mkdir()
    edge_files = {
        "empty.txt": b"", "binary.txt": b"\x00\x01\x02binary" * 20, "bad.json": b'{"title": "x",',
        "cp1258.txt": "Giao h\u00e0ng to\u00e0n qu\u1ed1c trong 3 ng\u00e0y".encode("utf-8")[:-2] + b"\xe0y",
        "numbers.txt": b"123 456 789", "unknown.xyz": b"hello", "notext.json": b'[{"title": "a"}, 5]',
        "rows.csv": "title,description\nB\u00e1nh,Mi\u1ec5n ph\u00ed ship \u0111\u01a1n t\u1eeb 300k\n".encode(),
        "lines.jsonl": b'{"description": "Free shipping over $50"}\n{bad\n\xff\xfe\n{"name": "n"}\n',
        "page.html": "<h1>Gi\u00e0y</h1><h2>Ch\u00ednh s\u00e1ch</h2><ul><li>\u0110\u1ed5i tr\u1ea3 trong 7 ng\u00e0y</li></ul>".encode(),
    }
    for name, data in edge_files.items():
        (edge / name).write_bytes(data)
    counts["edge"] = len(edge_files)
    # The bench's generator (of the reference tree: it is the same for both) writes varied listings.
    code = ("import json, sys, pathlib\n"
            "try:\n    from pipeline.cli.bench import generate\n"
            "except ImportError:\n    from pipeline.bench import generate\n"
            "c = pathlib.Path(sys.argv[3]) if sys.argv[3] else None\n"
            "print(json.dumps(generate(pathlib.Path(sys.argv[1]), int(sys.argv[2]), c)))\n")
    out = subprocess.run([sys.executable, "-c", code, str(inputs / "bench"), str(n), str(corpus or "")],
                         cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True,
                         capture_output=True, text=True).stdout
    counts["bench"] = json.loads(out.strip().splitlines()[-1])
    return counts


def run_pipeline(tree: Path, inputs: Path, out: Path, workers: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(inputs), "--out", str(out),
           "--workers", str(workers), "--full", "--quiet"]
    res = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"pipeline run failed in {tree} (exit {res.returncode}):\n{res.stderr[-3000:]}")
    return json.loads((out / "manifest.json").read_text())


def _sortable(v):
    if v is None:
        return (0, "")
    if isinstance(v, float) and math.isnan(v):
        return (1, "nan")
    return (2, v) if isinstance(v, (int, float, bool)) else (3, str(v))


def read_rows(out: Path, table: str) -> tuple[list[str], list[tuple]]:
    folder = out / table
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        return [], []
    t = pads.dataset(parts, format="parquet").to_table()
    names = t.schema.names
    keys = [names.index(k) for k in KEYS.get(table, []) if k in names]
    order = keys + [i for i in range(len(names)) if i not in keys]
    rows = [tuple(r[n] for n in names) for r in t.to_pylist()]
    rows.sort(key=lambda r: tuple(_sortable(r[i]) for i in order))
    return names, rows


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def compare_table(ref_out: Path, new_out: Path, table: str) -> tuple[int, int, bool, str]:
    ref_names, ref_rows = read_rows(ref_out, table)
    new_names, new_rows = read_rows(new_out, table)
    if ref_rows and new_rows and ref_names != new_names:
        return len(ref_rows), len(new_rows), False, f"columns differ: {ref_names} vs {new_names}"
    for k, (a, b) in enumerate(zip(ref_rows, new_rows)):
        if len(a) != len(b) or not all(_same(x, y) for x, y in zip(a, b)):
            cols = [n for n, x, y in zip(ref_names, a, b) if not _same(x, y)]
            show = {c: (a[ref_names.index(c)], b[ref_names.index(c)]) for c in cols[:3]}
            return len(ref_rows), len(new_rows), False, f"row {k}: {show} (ref, new)"
    if len(ref_rows) != len(new_rows):
        longer = ref_rows if len(ref_rows) > len(new_rows) else new_rows
        side = "ref" if longer is ref_rows else "new"
        return len(ref_rows), len(new_rows), False, f"only in {side}: {longer[min(len(ref_rows), len(new_rows))][:3]}"
    return len(ref_rows), len(new_rows), True, ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ref", help="commit (or branch) to compare this tree with")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus",
                    help="folder with products.jsonl (default ../shared/corpus; skipped when missing)")
    ap.add_argument("-n", type=int, default=900, help="bench-generated listings (default 900)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temporary one)")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve() if args.corpus and (args.corpus / "products.jsonl").is_file() else None
    work = Path(args.keep or tempfile.mkdtemp(prefix="compare-"))
    if work.exists() and args.keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    try:
        ref_tree = work / "ref"
        commit = export_tree(args.ref, ref_tree)
        inputs = work / "inputs"
        counts = make_inputs(ref_tree, inputs, corpus, args.n)
        print(f"# compare {ROOT} (new) with {args.ref} = {commit[:12]} (ref)")
        print(f"# inputs: {counts}; corpus {corpus or 'not found'}")
        ref_m = run_pipeline(ref_tree, inputs, work / "out-ref", args.workers)
        new_m = run_pipeline(ROOT, inputs, work / "out-new", args.workers)
        print(f"# records read: ref {ref_m['records_read']}, new {new_m['records_read']}; "
              f"rejects by reason: ref {ref_m['rejects_by_reason']}, new {new_m['rejects_by_reason']}")
        print(f"{'table':<14}{'rows ref':>10}{'rows new':>10}  equal  first difference")
        ok = True
        for table in TABLES:
            n_ref, n_new, equal, diff = compare_table(work / "out-ref", work / "out-new", table)
            ok &= equal
            print(f"{table:<14}{n_ref:>10}{n_new:>10}  {'yes' if equal else 'NO '}    {diff or '-'}")
        print("identical on all tables" if ok else "DIFFERENT")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
