"""The stages, declared in order: each is a pure function `Listing -> Listing` that reads and writes only the
fields it declares (a test runs every stage on varied listings and checks it). `process` runs them all; the
runner only decides where. An exception inside a stage becomes a `StageError` naming the stage and the
exception class, which the runner counts as a `stage_error` reject: nothing fails silently.

A field is a Listing attribute (`facts`) or an attribute of every item of one (`blocks.lang`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from pipeline.contract.records import Listing

from .facts import extract_policy_facts
from .langid import detect_languages
from .quality import assess_quality
from .sections import build_sections
from .segment import segment
from .zones import assign_zones


@dataclass(frozen=True)
class Stage:
    name: str
    reads: frozenset[str]
    writes: frozenset[str]
    run: Callable[[Listing], Listing]

    def __init__(self, name: str, reads, writes, run):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "reads", frozenset(reads))
        object.__setattr__(self, "writes", frozenset(writes))
        object.__setattr__(self, "run", run)


class StageError(Exception):
    """A stage raised on one listing; `stage` names it, the cause is chained (`__cause__`)."""

    def __init__(self, stage: str, exc: BaseException):
        super().__init__(f"stage {stage}: {type(exc).__name__}: {exc}")
        self.stage = stage
        self.error = type(exc).__name__


BLOCK_TEXT = {"blocks.text", "blocks.kind", "blocks.char_start", "blocks.char_end"}

DECLARED = (
    Stage("segment", reads={"text", "hints"}, writes={"blocks"}, run=segment),
    Stage("langid", reads={"title", "blocks.text"},
          writes={"blocks.lang", "blocks.lang_prob", "blocks.lang_reason", "title_lang"}, run=detect_languages),
    Stage("zones", reads={*BLOCK_TEXT, "blocks.lang"},
          writes={"blocks.zone", "blocks.policy_score", "blocks.zone_reason"}, run=assign_zones),
    Stage("facts", reads={*BLOCK_TEXT, "blocks.zone", "blocks.lang", "blocks.block_id"}, writes={"facts"},
          run=extract_policy_facts),
    Stage("sections", reads={"text", "hints", *BLOCK_TEXT, "blocks.level", "blocks.zone", "blocks.lang"},
          writes={"sections", "sentences"}, run=build_sections),
    Stage("quality", reads={"title", "title_lang", *BLOCK_TEXT, "blocks.zone", "blocks.lang"},
          writes={"quality"}, run=assess_quality),
)
STAGES: dict[str, Stage] = {s.name: s for s in DECLARED}


def run_stage(stage: Stage, listing: Listing) -> Listing:
    """One stage on one listing; an exception becomes a StageError naming the stage."""
    try:
        return stage.run(listing)
    except Exception as exc:  # noqa: BLE001 - counted by the runner as a stage_error reject
        raise StageError(stage.name, exc) from exc


def process(listing: Listing, until: str | None = None, timings: dict[str, float] | None = None) -> Listing:
    """Run the stages in order (up to and including `until`), adding seconds per stage to `timings`."""
    for name, stage in STAGES.items():
        t0 = time.perf_counter()
        listing = run_stage(stage, listing)
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
        if name == until:
            break
    return listing
