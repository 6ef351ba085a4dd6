"""Rules of the code base, checked on the source: doctests run; regular expressions with more than two
alternatives are written with re.VERBOSE, one commented line per part."""
from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import pipeline

PACKAGE = Path(pipeline.__file__).parent
OPTIONAL = {"distributed", "dask"}   # extras a module may need


def module_names() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(PACKAGE)], "pipeline.")
                  if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", module_names())
def test_doctests(name):
    try:
        module = importlib.import_module(name)
    except ImportError as exc:   # an optional extra
        if exc.name and exc.name.split(".")[0] in OPTIONAL:
            pytest.skip(f"needs {exc.name}")
        raise
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_number_and_unit_parsers_carry_doctests():
    from pipeline.contract import catalog
    from pipeline.stages.facts import quantities
    for fn in (quantities._number, quantities.find_quantities, catalog.column_value):
        assert ">>>" in (fn.__doc__ or ""), fn.__qualname__


def _alternatives(pattern: str) -> int:
    """Top-level and nested '|' outside character classes and escapes, plus one."""
    n, i, in_class = 1, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "|":
            n += 1
        i += 1
    return n


def _literal(node) -> str | None:
    """The text of a string literal, or of an f-string's literal parts (its fields count as nothing)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _is_verbose(call: ast.Call) -> bool:
    flags = call.args[1:2] + [k.value for k in call.keywords if k.arg == "flags"]
    return any(isinstance(n, ast.Attribute) and n.attr in ("VERBOSE", "X") for f in flags for n in ast.walk(f))


def regex_violations(root: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args):
                text = _literal(node.args[0])
                if text is not None and _alternatives(text) > 2 and not _is_verbose(node):
                    out.append(f"{path.relative_to(root.parent)}:{node.lineno}: {_alternatives(text)} alternatives "
                               f"without re.VERBOSE")
    return out


def test_regexes_with_many_alternatives_are_verbose():
    assert regex_violations() == []


def test_the_regex_check_sees_a_violation(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text('import re\nA = re.compile(r"a|b|[|]c")\nB = re.compile("a|b")\n'
                                            'C = re.compile("""\n  a  # one\n| b  # two\n| c  # three\n""", re.X)\n')
    assert [v.split(": ", 1)[1] for v in regex_violations(tmp_path / "pkg")] == ["3 alternatives without re.VERBOSE"]
