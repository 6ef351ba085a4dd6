"""Quality measurement on the labelled sets in tests/data (and the open corpus when given).

One module per task; each exposes `evaluate(data_dir: Path, corpus: Path | None) -> Report`.
`python -m pipeline eval` (`make eval`) prints every report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TASKS = ("policy", "facts", "langid", "zones", "sections", "headings", "genre", "article_terms")
SPLITS = ("dev", "test", "all")   # what `eval --split` chooses: one part, or both printed apart (the default)
DATA_DIR = Path("tests/data")   # relative to the working directory (the repository root); scorers take the folder as an argument


@dataclass
class Report:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        cells = [[str(c) if not isinstance(c, float) else f"{c:.3f}" for c in r] for r in self.rows]
        widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(self.columns)]
        line = lambda vals: "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(vals, widths)))
        out = [f"## {self.title}", line(self.columns), line(["-" * w for w in widths])]
        out += [line(r) for r in cells] + [f"  {n}" for n in self.notes]
        return "\n".join(out)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
