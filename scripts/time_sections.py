"""CPU time of the segment and sections stages per listing on the bench mix (before/after in one session).

    .venv/bin/python scripts/time_sections.py [-n 300] [--corpus ../shared/corpus] [--repeat 3] [--profile] [--run]

Generates the bench's listings (pipeline.cli.bench.generate), runs every stage before each timed one
once, then times `segment` alone (on copies of the listings as read) and `build_sections` alone (on
copies after zones) with `time.process_time` (CPU, not wall clock: the machine is shared), the best of
--repeat runs with the collector off (as the runner runs a unit), and the sentence cutter (`_block_spans` of the description blocks) as part of sections.
Caches of the timed code are cleared before each run, so a run pays for the text it has not seen, as a
fresh worker does. PIPELINE_ROOT=<another checkout> times that checkout instead (before/after; the corpus
and seed listing are this checkout's, so both sides time the same listings). `--profile cprofile|pyinstrument`
prints a profile of one sections run instead. Prints ms per listing, all and seed-like ("seed" sources).
`--run` times every stage per listing in order instead (`runner.local.process_timed`, as a worker runs a unit:
sections and quality then read the word tokens and phrase scans the earlier stages left in the caches), the
best of --repeat fresh runs; spaCy's pipelines are loaded first (once per process, not per listing).
`--run --against <another checkout>` runs both checkouts' stages in this one process, batches of 20 listings
in turn (A B B A ...), and prints each side's stage CPU and their ratio: on a shared, loaded machine the two
sides then see the same load, where separate runs drift by more than a few per cent (speed34). The other
checkout's modules are imported first and kept under other names; an import inside one of its functions
finds this checkout's module (in the stages only `contract.kinds.languages` has one).
"""
from __future__ import annotations

import argparse
import copy
import functools
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]   # this script's checkout: the defaults are read from it
ROOT = Path(os.environ.get("PIPELINE_ROOT", HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from _timing import bench_records  # noqa: E402  (scripts/_timing.py, beside this file)
from pipeline.stages import process  # noqa: E402
from pipeline.stages import sections  # noqa: E402
from pipeline.contract.records import Block, majority_lang  # noqa: E402
from pipeline.stages.sections.inferred import infer_units, units_of  # noqa: E402
from pipeline.stages.segment import segment  # noqa: E402
from pipeline.text.words import count_words  # noqa: E402

# Module caches that hold per-text results (lexicons and spaCy pipelines are kept: a worker loads them once).
_KEEP = {"section_rules", "_lex", "load_model", "_blank_nlp", "_sentence_marks", "_plain_tokenizer",
         "_affix_rules", "_special_cases", "stopwords", "_mark_finder", "load", "_opening_cache",
         "_language", "_sentencizer"}


def _clear_caches() -> None:
    for mod in list(sys.modules.values()):
        name = getattr(mod, "__name__", "") or ""
        if not name.startswith("pipeline."):
            continue
        for attr, f in list(vars(mod).items()):
            if attr in _KEEP:
                continue
            if isinstance(f, functools._lru_cache_wrapper) and f.cache_info().maxsize is not None:
                f.cache_clear()
        if name == "pipeline.text.sentences":      # (with --against, each checkout's own)
            for key in ("en", "xx"):
                mod._opening_cache(key).clear()
        if name == "pipeline.text.words":
            getattr(mod, "_split_chunks", {}).clear()   # word_tokens' memo of chunks that are not alphanumeric
        if name == "pipeline.stages.facts":
            getattr(mod, "_facts_memo", {}).clear()     # extract_facts' memo of the texts it read (speed43)
    gc.collect()


# The sentence cutter over a listing's description blocks (`_sentences` before speed28).
_sentences_of = getattr(sections, "_block_spans", None) or getattr(sections, "_sentences")


def _desc(listing):
    return [b for b in listing.blocks if b.zone == "description"]


def _best(fn, batches, repeat: int) -> float:
    best = None
    for _ in range(repeat):
        batch = copy.deepcopy(batches)
        _clear_caches()
        gc.disable()                 # as the runner runs a unit: the collector off (runner.local)
        t0 = time.process_time()
        for listing in batch:
            fn(listing)
        spent = time.process_time() - t0
        gc.enable()
        best = spent if best is None else min(best, spent)
    return best


def _run_stages(read, repeat: int) -> None:
    """CPU ms per listing of each stage when every stage runs per listing in order (`process_timed`, as a
    worker runs a unit: earlier stages fill the caches later ones read), the best of `repeat` fresh runs."""
    from pipeline.runner.local import process_timed
    best: dict[str, float] = {}
    for _ in range(repeat):
        batch = copy.deepcopy(read)
        _clear_caches()
        cpu: dict[str, float] = {}
        gc.disable()
        for rec in batch:
            process_timed(rec, {}, cpu)
        gc.enable()
        for k, v in cpu.items():
            best[k] = min(best.get(k, v), v)
    print(f"{len(read)} listings, root {ROOT}, every stage in order per listing, best of {repeat}")
    for k, v in best.items():
        print(f"{k:10s} {1000 * v / len(read):7.3f} ms/listing CPU")


def _interleaved(other: Path, n: int, corpus: Path, repeat: int, batch: int = 20) -> None:
    """Every stage per listing in order (`process_timed`) for this checkout and `other`, in one process, batches
    of `batch` listings in turn, each side on its own copy of the records its own readers read; CPU summed
    over `repeat` fresh runs (caches cleared before each)."""
    import importlib
    with tempfile.TemporaryDirectory() as tmp:
        mine = bench_records(Path(tmp), n, corpus, HERE)   # the bench mix in tmp/raw, read by this checkout
        ours = {k: sys.modules.pop(k) for k in [k for k in sys.modules if k.split(".")[0] == "pipeline"]}
        sys.path.insert(0, str(other))
        theirs_local = importlib.import_module("pipeline.runner.local")
        theirs = _read(importlib.import_module("pipeline.readers"), Path(tmp) / "raw")
        sys.path.remove(str(other))
        for k in [k for k in sys.modules if k.split(".")[0] == "pipeline"]:
            sys.modules["_against_" + k] = sys.modules.pop(k)   # kept alive, out of the way
        sys.modules.update(ours)
    from pipeline.runner import local
    assert len(mine) == len(theirs), (len(mine), len(theirs))
    sides = (("A", theirs_local, theirs), ("B", local, mine))
    for _, side_local, recs in sides:                 # models, lexicons and spaCy, once per process
        for rec in recs[::10]:
            side_local.process_timed(copy.deepcopy(rec), {}, {})
    cpu: dict[str, dict[str, float]] = {"A": {}, "B": {}}
    for _ in range(repeat):
        _clear_caches()                               # both sides' modules are named pipeline.*
        copies = [(name, side_local, copy.deepcopy(recs)) for name, side_local, recs in sides]
        gc.disable()
        for k in range(0, len(mine), batch):
            for name, side_local, recs in (copies if (k // batch) % 2 == 0 else copies[::-1]):
                for rec in recs[k:k + batch]:
                    side_local.process_timed(rec, {}, cpu[name])
        gc.enable()
    print(f"{len(mine)} listings, A = {other}, B = {ROOT}, every stage per listing, batches of {batch} in turn, "
          f"{repeat} runs: CPU ms/listing")
    for stage in cpu["A"]:
        a, b = (1000 * cpu[x][stage] / (len(mine) * repeat) for x in "AB")
        print(f"{stage:10s} A {a:7.3f}  B {b:7.3f}  B/A {b / a:.3f}")


def _read(readers, raw: Path) -> list:
    return [rec for path in sorted(p for p in raw.rglob("*") if p.is_file())
            for rec in readers.read_file(path, raw) if hasattr(rec, "text")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--corpus", type=Path, default=HERE.parent / "shared" / "corpus")   # ../shared/corpus beside the checkout
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", choices=["cprofile", "pyinstrument"], help="profile one sections run instead")
    ap.add_argument("--stages", default="segment,sections,sentences")
    ap.add_argument("--run", action="store_true",
                    help="time every stage per listing in order, as the runner does (sections and quality read "
                         "the caches the earlier stages filled), instead of one stage alone")
    ap.add_argument("--against", type=Path, help="with --run: another checkout, run in turn in this process")
    a = ap.parse_args()
    if a.against:
        _interleaved(a.against.resolve(), a.n, a.corpus, a.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        read = bench_records(Path(tmp), a.n, a.corpus, HERE)
        zoned = [process(copy.deepcopy(rec), until="facts") for rec in read]
    seed = [i for i, x in enumerate(read) if "seed" in (x.source or "")]
    for key in ("en", "xx"):                   # load spaCy's pipelines: once per process, not per listing
        _sentences_of([Block(0, "paragraph", "x. Y.", 0, 5, lang=key)])
    sections.build_sections(copy.deepcopy(zoned[0]))   # load the lexicons, the model and spaCy
    if a.run:
        _run_stages(read, a.repeat)
        return
    if a.profile == "pyinstrument":            # a sampling profiler: no per-call overhead (pip install pyinstrument)
        from pyinstrument import Profiler
        batch = copy.deepcopy(zoned)
        _clear_caches()
        prof = Profiler(interval=0.0005)
        gc.disable()
        prof.start()
        for listing in batch:
            sections.build_sections(listing)
        prof.stop()
        print(prof.output_text(unicode=False, color=False, show_all=False))
        return
    if a.profile:
        import cProfile
        import pstats
        batch = copy.deepcopy(zoned)
        _clear_caches()
        prof = cProfile.Profile()
        gc.disable()
        prof.enable()
        for listing in batch:
            sections.build_sections(listing)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    stages = {
        "segment": (segment, read),
        "sections": (sections.build_sections, zoned),
        "sentences": (lambda x: _sentences_of(_desc(x)), zoned),
        "words": (lambda x: [count_words(b.text) for b in _desc(x)], zoned),
        "units": (lambda x: units_of(_desc(x), x.text), zoned),
        "infer": (lambda x: infer_units(units_of(_desc(x), x.text), majority_lang(_desc(x))) if _desc(x) else None,
                  zoned),
    }
    print(f"{len(read)} listings ({len(seed)} seed-like), root {ROOT}")
    for name in a.stages.split(","):
        fn, listings = stages[name]
        allms = 1000 * _best(fn, listings, a.repeat) / len(listings)
        seedms = 1000 * _best(fn, [listings[i] for i in seed], a.repeat) / max(1, len(seed)) if seed else 0.0
        print(f"{name:10s} {allms:7.3f} ms/listing CPU (seed {seedms:.3f}), best of {a.repeat}")


if __name__ == "__main__":
    main()
