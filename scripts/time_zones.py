"""CPU time of the zones stage per listing on the bench mix (for before/after comparisons in one session).

    .venv/bin/python scripts/time_zones.py [-n 300] [--corpus ../shared/corpus] [--repeat 3]

Generates the bench's listings (pipeline.cli.bench.generate), runs every stage before zones once, then
times `assign_zones` alone on fresh copies of the blocks with `time.process_time` (CPU, not wall clock:
the machine is shared), the best of --repeat runs. PIPELINE_ROOT=<another checkout> times that checkout instead (before/after). Caches are cleared before each run, so a run pays for
the text it has not seen, as a fresh worker does. Prints ms per listing.

--stages (speed31) instead runs every stage listing by listing, as a worker does (so the caches the stages share
hold what they hold in a run, and work one stage stops doing shows up in the stage that then does it), and
prints the CPU ms per listing of each stage, best of --repeat fresh processes' worth of runs in this one (the
text caches are not cleared between runs, so run it once per process for cold numbers: --repeat 1).
"""
from __future__ import annotations

import argparse
import os
import copy
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
from pipeline.stages import zones  # noqa: E402


def _clear_caches() -> None:
    for name in dir(zones):
        f = getattr(zones, name)
        if hasattr(f, "cache_clear") and name not in ("_lexicon", "_model"):
            f.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300)
    # The corpus and the seed listing from this checkout whatever PIPELINE_ROOT is, so that both sides of a
    # before/after time the same listings (zones6: /work/main's ../../shared/corpus did not exist, and it
    # timed a mix without the corpus's records).
    ap.add_argument("--corpus", type=Path, default=HERE.parent / "shared" / "corpus")   # ../shared/corpus beside the checkout
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stages", action="store_true", help="every stage listing by listing, CPU ms of each")
    a = ap.parse_args()
    if a.stages:
        return _stages(a)
    with tempfile.TemporaryDirectory() as tmp:
        listings = [process(rec, until="langid") for rec in bench_records(Path(tmp), a.n, a.corpus, HERE)]
    zones.assign_zones(copy.deepcopy(listings[0]))  # load the lexicon and the model
    best = None
    for _ in range(a.repeat):
        batch = copy.deepcopy(listings)
        _clear_caches()
        t0 = time.process_time()
        for listing in batch:
            zones.assign_zones(listing)
        spent = time.process_time() - t0
        best = spent if best is None else min(best, spent)
    blocks = sum(len(x.blocks) for x in listings)
    print(f"{len(listings)} listings, {blocks} blocks: zones {1000 * best / len(listings):.3f} ms/listing CPU "
          f"(best of {a.repeat})")


def _stages(a) -> None:
    """CPU ms per listing of each stage, the stages run listing by listing as a worker runs them."""
    import gc
    from pipeline.stages import STAGES
    with tempfile.TemporaryDirectory() as tmp:
        records = bench_records(Path(tmp), a.n, a.corpus, HERE)
    process(copy.deepcopy(records[0]))   # load the lexicons and models
    gc.disable()   # as the runner does while a unit runs
    best: dict[str, float] = {}
    for _ in range(a.repeat):
        spent = dict.fromkeys(STAGES, 0.0)
        for listing in copy.deepcopy(records):
            for name, stage in STAGES.items():
                t0 = time.process_time()
                listing = stage.run(listing)
                spent[name] += time.process_time() - t0
        best = spent if not best or sum(spent.values()) < sum(best.values()) else best
    per = {name: 1000 * s / len(records) for name, s in best.items()}
    print(f"{len(records)} listings: zones {per['zones']:.3f} ms/listing CPU, all stages {sum(per.values()):.3f} "
          f"(best of {a.repeat}): " + ", ".join(f"{name} {ms:.2f}" for name, ms in per.items()))


if __name__ == "__main__":
    main()
