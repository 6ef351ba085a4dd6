"""The dependency rule, read off the source with `ast`: cli -> runner -> stages -> text/contract.

- a module imports only modules of its own layer's package or of lower layers;
- no stage imports a sibling stage (what two stages share belongs in pipeline/text);
- no module imports another module's `_private` name (`from x import _y`, or `x._y` on an imported module).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"

# Rank of each top-level part of the package: a module may import parts of a higher rank, and its own part.
RANK = {
    "__main__": 0, "cli": 0,
    "runner": 1, "eval": 1,
    "stages": 2, "readers": 2,
    "text": 3,
    "contract": 4,
    "lexicon": 5, "__init__": 5,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part_of(name: str) -> str:
    """'pipeline.stages.facts.cues' -> 'stages'; 'pipeline' -> '__init__'."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def stage_of(name: str) -> str | None:
    """'pipeline.stages.facts.cues' -> 'facts'; the stages package itself -> None."""
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "stages" else None


def imports(name: str, path: Path):
    """(imported module, imported names, line) of every import, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                up = base[: len(base) - (node.level - 1)]
                mod = ".".join(up + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            yield mod, [a.name for a in node.names], node.lineno


def private_attribute_uses(path: Path):
    """`x._y` where x names an imported module: another module's private name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("pipeline")}
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("pipeline")):
            imported |= {a.asname or a.name for a in node.names}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            yield node.value.id, node.attr, node.lineno


def violations() -> list[str]:
    mods = modules()
    out = []
    for name, path in mods.items():
        here = part_of(name)
        for mod, names, line in imports(name, path):
            if mod != "pipeline" and not mod.startswith("pipeline."):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            targets = [mod] if not names else [f"{mod}.{n}" if f"{mod}.{n}" in mods else mod for n in names]
            for target in targets:
                there = part_of(target)
                if there not in RANK:
                    out.append(f"{where}: {target} is in no layer (add it to RANK)")
                elif here not in RANK:
                    out.append(f"{where}: {name} is in no layer (add it to RANK)")
                elif there != here and RANK[there] <= RANK[here]:
                    out.append(f"{where}: {name} ({here}) imports {target} ({there}): against the dependency rule")
                mine, theirs = stage_of(name), stage_of(target)
                if here == there == "stages" and mine is not None and theirs != mine:
                    out.append(f"{where}: stage {mine} imports {target}: stages never import each other "
                               f"(shared code belongs in pipeline.text)")
            for n in names:
                if n.startswith("_") and not n.startswith("__") and f"{mod}.{n}" not in mods:
                    out.append(f"{where}: {name} imports the private name {n} of {mod}")
        for owner, attr, line in private_attribute_uses(path):
            out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} uses {owner}.{attr}, a private name")
    return out


def test_dependencies_point_one_way():
    assert violations() == []


def test_the_walk_sees_violations(tmp_path, monkeypatch):
    """The checker itself: a stage importing a sibling and a private name, text importing a stage."""
    pkg = tmp_path / "pipeline"
    for rel, src in {
        "__init__.py": "", "stages/__init__.py": "", "text/__init__.py": "",
        "stages/a.py": "from pipeline.stages.b import run\nfrom ..text.x import _helper\n",
        "stages/b.py": "def run(): pass\n",
        "text/x.py": "from pipeline.stages import a\n_helper = 1\n",
    }.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(src)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    found = "\n".join(violations())
    assert "stage a imports pipeline.stages.b" in found
    assert "imports the private name _helper" in found
    assert "pipeline.text.x (text) imports pipeline.stages" in found
