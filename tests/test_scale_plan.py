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
