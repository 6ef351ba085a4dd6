"""Planning at scale: unchanged files are not read again, changed ones are; appending to a big JSON Lines
file re-runs only the slice that changed, with the same rows as a full run."""
from __future__ import annotations

import json
import os

import pytest

import pipeline.runner.plan as planning
from pipeline.runner import run
from test_runner import assert_same, tables

OLD = 1_600_000_000   # an mtime far from now: not racily new


def listing(i: int) -> str:
    return json.dumps({"id": i, "title": f"Áo thun {i}", "description":
                       f"<p>Áo cotton số {i}.</p><ul><li>Đổi trả trong {i % 9 + 1} ngày</li></ul>"},
                      ensure_ascii=False) + "\n"


def make_raw(folder, n_lines=30):
    folder.mkdir()
    for i in range(3):
        (folder / f"note-{i}.txt").write_text(f"Mũ len {i}\n\nĐổi trả trong {i + 3} ngày.\n", encoding="utf-8")
    (folder / "records.jsonl").write_text("".join(listing(i) for i in range(n_lines)), encoding="utf-8")
    for p in folder.iterdir():
        os.utime(p, (OLD, OLD))
    return folder


@pytest.fixture
def sliced(monkeypatch):
    monkeypatch.setattr(planning, "SPLIT_BYTES", 500)
    monkeypatch.setattr(planning, "SPLIT_LINES", 7)


@pytest.fixture
def reads(monkeypatch):
    """The files planning reads (whole-file hash or slice scan)."""
    seen: list[str] = []
    scan, hashes = planning.scan, planning.slice_hashes

    def counting_scan(path, *a, **k):
        seen.append(path.name)
        return scan(path, *a, **k)

    def counting_slices(path, *a, **k):
        seen.append(path.name + "/slices")
        return hashes(path, *a, **k)

    monkeypatch.setattr(planning, "scan", counting_scan)
    monkeypatch.setattr(planning, "slice_hashes", counting_slices)
    for reader in planning.READERS.values():
        if hasattr(reader, "scan"):
            monkeypatch.setattr(reader, "scan", lambda path, *a, _s=reader.scan, **k: (seen.append(path.name), _s(path, *a, **k))[1])
    return seen


def test_unchanged_files_are_not_read_again(tmp_path, sliced, reads):
    raw = make_raw(tmp_path / "raw")
    run(raw, tmp_path / "out", progress=False)
    assert sorted(set(reads)) == ["note-0.txt", "note-1.txt", "note-2.txt", "records.jsonl", "records.jsonl/slices"]
    reads.clear()
    m = run(raw, tmp_path / "out", progress=False)
    assert m.get("up_to_date") and reads == []
    (raw / "note-1.txt").write_text("Mũ len 1\n\nĐổi trả trong 9 ngày.\n", encoding="utf-8")
    os.utime(raw / "note-1.txt", (OLD + 5, OLD + 5))
    m = run(raw, tmp_path / "out", progress=False)
    assert reads == ["note-1.txt"] and m["units"]["processed"] >= 1 and not m.get("up_to_date")


def test_a_racily_new_file_is_read_again(tmp_path, reads):
    raw = make_raw(tmp_path / "raw")
    os.utime(raw / "note-0.txt")   # modified just now: its mtime could repeat after another edit
    run(raw, tmp_path / "out", progress=False)
    reads.clear()
    run(raw, tmp_path / "out", progress=False)
    assert reads == ["note-0.txt"]


def test_a_file_replaced_with_the_same_size_and_mtime_is_read_again(tmp_path, reads):
    raw = make_raw(tmp_path / "raw")
    run(raw, tmp_path / "out", progress=False)
    reads.clear()
    tmp = raw / "note-2.new"
    tmp.write_text("Mũ len 2\n\nĐổi trả trong 7 ngày.\n", encoding="utf-8")   # same size, another inode
    os.utime(tmp, (OLD, OLD))
    os.replace(tmp, raw / "note-2.txt")
    m = run(raw, tmp_path / "out", progress=False)
    assert reads == ["note-2.txt"] and not m.get("up_to_date")


def test_appending_a_line_re_runs_only_the_last_slice(tmp_path, sliced):
    raw = make_raw(tmp_path / "raw", n_lines=30)   # slices of 7 lines: 1-7 ... 29-30
    first = run(raw, tmp_path / "out", progress=False)
    assert first["units"]["processed"] == first["units"]["total"]
    with open(raw / "records.jsonl", "a", encoding="utf-8") as fh:
        fh.write(listing(30))
    m = run(raw, tmp_path / "out", progress=False)
    assert m["units"]["processed"] == 1 and m["units"]["total"] == first["units"]["total"]
    assert m["rows"]["documents"] == first["rows"]["documents"] + 1
    full = run(raw, tmp_path / "full", progress=False, full=True)
    assert full["units"]["processed"] == full["units"]["total"] > 1
    assert_same(tables(tmp_path / "out"), tables(tmp_path / "full"))
    # a full slice more: the old last slice (now 29-35) changed, a new one (36-) appears; the rest reused
    with open(raw / "records.jsonl", "a", encoding="utf-8") as fh:
        fh.writelines(listing(i) for i in range(31, 37))
    m = run(raw, tmp_path / "out", progress=False)
    assert m["units"]["processed"] == 2
    run(raw, tmp_path / "full", progress=False, full=True)
    assert_same(tables(tmp_path / "out"), tables(tmp_path / "full"))


def test_slice_keys_follow_their_own_content(tmp_path, sliced):
    raw = make_raw(tmp_path / "raw", n_lines=30)
    before = [u.key for u in planning.plan(raw, planning.Settings()).units]
    text = (raw / "records.jsonl").read_text(encoding="utf-8").replace("Áo thun 10\"", "Áo thun X\"")
    (raw / "records.jsonl").write_text(text, encoding="utf-8")   # a change inside slice 8-14 only
    after = [u.key for u in planning.plan(raw, planning.Settings()).units]
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after)) == 1


# ------------------------------------------------------------------ the inputs sidecar (issue 16)

from hypothesis import given, settings as hsettings, strategies as st   # noqa: E402

from pipeline.runner.manifest import INPUTS_FILE, InputsWriter, PreviousInputs, iter_inputs, walk_key  # noqa: E402


def test_the_inputs_are_a_sidecar_beside_the_manifest(tmp_path, sliced):
    raw = make_raw(tmp_path / "raw")
    m = run(raw, tmp_path / "out", progress=False)
    assert "inputs" not in m and m["input_files"] == {"file": INPUTS_FILE, "files": 4, "walk_ordered": True}
    assert "inputs" not in json.loads((tmp_path / "out" / "manifest.json").read_text())
    recs = list(iter_inputs(tmp_path / "out" / INPUTS_FILE))
    assert [r["path"] for r in recs] == ["note-0.txt", "note-1.txt", "note-2.txt", "records.jsonl"]
    assert [r["bytes"] for r in recs] == [(raw / r["path"]).stat().st_size for r in recs]
    assert all(r["mtime_ns"] == OLD * 10**9 and r["inode"] == (raw / r["path"]).stat().st_ino for r in recs)
    assert recs[3]["slice_records"] == 7 and [o for o, _ in recs[3]["slices"]][0] == 0 and len(recs[3]["slices"]) == 5
    assert "slices" not in recs[0] and not list(tmp_path.glob(f"*{INPUTS_FILE}*"))   # no temporary left


def test_a_manifest_with_its_inputs_inline_is_refused_but_by_a_full_run(tmp_path, sliced, reads):
    """The version before the inputs sidecar listed the inputs in manifest.json: no longer read. A run
    refuses its output (OutputRefused, exit 2) unless --full, which rewrites it with a sidecar."""
    from pipeline.runner import OutputRefused
    raw, out = make_raw(tmp_path / "raw"), tmp_path / "out"
    run(raw, out, progress=False)
    m = json.loads((out / "manifest.json").read_text())   # as the version before the sidecar wrote it
    m["inputs"] = list(iter_inputs(out / INPUTS_FILE))
    del m["input_files"]
    (out / "manifest.json").write_text(json.dumps(m))
    (out / INPUTS_FILE).unlink()
    with pytest.raises(OutputRefused, match="inline.*--full"):
        run(raw, out, progress=False)
    assert json.loads((out / "manifest.json").read_text()) == m
    m = run(raw, out, progress=False, full=True)
    assert "inputs" not in m and (out / INPUTS_FILE).is_file()
    reads.clear()
    assert run(raw, out, progress=False).get("up_to_date") and reads == []


def test_a_glob_planned_out_of_walk_order_still_skips_unchanged_files(tmp_path, reads):
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    for name in ("a/x.txt", "b.txt", "a/y.txt"):
        (raw / name).write_text(f"Mũ len {name}\n\nĐổi trả trong 3 ngày.\n", encoding="utf-8")
        os.utime(raw / name, (OLD, OLD))
    glob = str(raw) + "/*"   # sorted matches: a (its files) before b.txt, against the walk's b.txt first
    m = run(glob, tmp_path / "out", progress=False)
    assert m["input_files"]["walk_ordered"] is False and m["input_files"]["files"] == 3
    reads.clear()
    assert run(glob, tmp_path / "out", progress=False).get("up_to_date") and reads == []


_name = st.text(alphabet="ab.-_ẞ", min_size=1, max_size=3).filter(lambda s: not s.startswith("."))
_paths = st.lists(st.lists(_name, min_size=1, max_size=3).map("/".join), unique=True, max_size=40)


@hsettings(max_examples=60, deadline=None)
@given(_paths, st.data())
def test_previous_inputs_finds_exactly_the_recorded_files(tmp_path_factory, paths, data):
    """Whatever subset was recorded and in whatever order names are asked for, `get` gives each recorded
    file's record and None for the others: by a merge in walk order, by a table otherwise."""
    paths = [p for p in paths if not any(q.startswith(p + "/") for q in paths)]   # a name is a file or a folder
    recorded = data.draw(st.lists(st.sampled_from(paths), unique=True) if paths else st.just([]))
    in_walk_order = data.draw(st.booleans())
    written = sorted(recorded, key=walk_key) if in_walk_order else data.draw(st.permutations(recorded))
    sidecar = tmp_path_factory.mktemp("sidecar") / INPUTS_FILE
    w = InputsWriter(sidecar)
    for i, p in enumerate(written):
        w.add({"path": p, "sha1": f"{i:040x}", "bytes": i, **({"slices": [[0, "s"], [9, "t"]]} if i % 3 else {})})
    entry = w.close()
    assert entry["files"] == len(written)
    assert entry["walk_ordered"] == (written == sorted(written, key=walk_key) or len(written) < 2)
    asked = sorted(paths, key=walk_key) if data.draw(st.booleans()) else data.draw(st.permutations(paths))
    previous = PreviousInputs(sidecar, entry["walk_ordered"])
    expect = {p: i for i, p in enumerate(written)}
    for p in asked:
        rec = previous.get(p)
        if p in expect:
            i = expect[p]
            assert rec == {"path": p, "sha1": f"{i:040x}", "bytes": i,
                           **({"slices": [[0, "s"], [9, "t"]]} if i % 3 else {})}
        else:
            assert rec is None


_items = st.lists(st.builds(
    planning.Item,
    st.text(min_size=1, max_size=12),
    st.one_of(st.text(alphabet="0123456789abcdef", min_size=40, max_size=40), st.text(max_size=41)),
    st.integers(0, 2**50),
    st.one_of(st.none(), st.tuples(st.integers(1, 10**9), st.one_of(st.none(), st.integers(1, 10**9))),
              st.builds(planning.Lines, st.integers(1, 10**9), st.one_of(st.none(), st.integers(1, 10**9)),
                        st.one_of(st.none(), st.integers(0, 2**62)), st.one_of(st.none(), st.integers(0, 2**62)))),
    st.integers(0, 2**62)), min_size=1, max_size=5)


@hsettings(max_examples=200, deadline=None)
@given(st.lists(_items, max_size=6))
def test_packed_units_give_back_the_units_planned(groups):
    """`Units` keeps each unit's items packed; the unit it gives back is equal to the one put in, its items'
    record ranges of the same type with the same file size and mtime (what a reader checks)."""
    units = [planning.Unit(f"k{i}", tuple(g)) for i, g in enumerate(groups)]
    packed = planning.Units()
    for u in units:
        packed.append(u)
    assert list(packed) == units and packed == units and len(packed) == len(units)
    assert packed.keys == [u.key for u in units]
    assert [packed.size(i) for i in range(len(units))] == [u.n_bytes for u in units]
    for got, want in zip(packed, units):
        for a, b in zip(got.items, want.items):
            assert type(a.lines) is type(b.lines)
            if isinstance(b.lines, planning.Lines):
                assert (a.lines.file_bytes, a.lines.mtime_ns) == (b.lines.file_bytes, b.lines.mtime_ns)
    order = list(reversed(range(len(units))))
    assert list(packed.subset(order)) == [units[i] for i in order]


def test_a_plan_keeps_its_units_packed(tmp_path, sliced):
    """The plan holds its units packed (a few bytes a file: issue 16), and gives the same units as before."""
    p = planning.plan(make_raw(tmp_path / "raw"), planning.Settings())
    assert isinstance(p.units, planning.Units)
    items = [i for u in p.units for i in u.items]
    assert sorted(i.path for i in items if i.lines is None or i.lines[0] == 1) == \
        ["note-0.txt", "note-1.txt", "note-2.txt", "records.jsonl"]
    assert all(isinstance(i.lines, planning.Lines) for i in items if i.path == "records.jsonl")
    assert p.units.packed_bytes < 100 * len(items)
