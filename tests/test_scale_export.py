"""`export` streamed range by range of doc_id writes the same bytes as the export held in memory."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings, strategies as st

import pipeline.runner.export as ex
from pipeline.runner import run
from test_runner import mixed_raw


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    base = tmp_path_factory.mktemp("scale-export")
    out = base / "processed"
    run(mixed_raw(base / "raw"), out, progress=False)
    return out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_streamed_export_writes_the_same_bytes(processed, tmp_path, monkeypatch, fmt):
    whole = tmp_path / f"whole.{fmt}"
    assert ex.export(processed, whole, fmt) == 54
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 5)   # ranges of ~5 rows: spilled, several batches
    monkeypatch.setattr(ex, "PREFIX_CHARS", 2)
    with ex.Snapshot(processed) as snap:
        assert len(list(ex.batches(snap))) > 5
    streamed = tmp_path / f"streamed.{fmt}"
    assert ex.export(processed, streamed, fmt) == 54
    assert streamed.read_bytes() == whole.read_bytes()


def test_streamed_parquet_export_holds_the_same_rows(processed, tmp_path, monkeypatch):
    whole = tmp_path / "whole.parquet"
    ex.export(processed, whole, "parquet")
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 5)
    streamed = tmp_path / "streamed.parquet"
    ex.export(processed, streamed, "parquet")
    a, b = pq.read_table(whole), pq.read_table(streamed)
    assert a.equals(b) and a.schema.metadata == b.schema.metadata
    assert pq.ParquetFile(streamed).metadata.num_row_groups > 1


def test_a_range_of_one_prefix_bigger_than_a_batch_stays_whole(processed, tmp_path, monkeypatch):
    whole = tmp_path / "whole.jsonl"
    ex.export(processed, whole, "jsonl")
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 1)
    monkeypatch.setattr(ex, "PREFIX_CHARS", 1)   # 16 prefixes for 54 rows
    streamed = tmp_path / "streamed.jsonl"
    ex.export(processed, streamed, "jsonl")
    assert streamed.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_written_range_is_let_go_before_the_next_is_built(processed, tmp_path, monkeypatch, fmt):
    """Memory holds one range: when a range is built, no earlier range's table is alive (the first one was
    kept by the caller to the end of the export, and each written one while the next was built). Parquet
    keeps the first while the second is built (one range gives write_part's file, several a row group
    each), then one at a time."""
    import weakref
    monkeypatch.setattr(ex, "EXPORT_BATCH_ROWS", 5)
    built, alive_at_build = [], []
    real = ex._batch

    def batch(*args):
        alive_at_build.append(sum(r() is not None for r in built))
        table = real(*args)
        built.append(weakref.ref(table))
        return table

    monkeypatch.setattr(ex, "_batch", batch)
    assert ex.export(processed, tmp_path / f"out.{fmt}", fmt) == 54
    expected = [0] * len(built) if fmt == "jsonl" else [0, 1] + [0] * (len(built) - 2)
    assert len(built) > 5 and alive_at_build == expected


def test_an_export_opens_only_the_tables_it_reads_unbuffered(processed):
    import io
    with ex.Snapshot(processed, tables=ex.EXPORTED_TABLES) as snap:
        assert set(snap.files) == {"catalog", "documents", "sections"}
        files = [fh for name in snap.files for fh in snap.files[name]]
        assert files and all(isinstance(fh, io.FileIO) for fh in files)   # no 8 KB buffer per open part
        assert ex.build(snap).num_rows == 54


def test_a_manifest_with_its_inputs_inline_is_refused(processed, tmp_path):
    """The version before the inputs sidecar listed the inputs in manifest.json: export asks for a new run."""
    import json
    import shutil
    from pipeline.runner.manifest import INPUTS_FILE, iter_inputs
    old = tmp_path / "old"
    shutil.copytree(processed, old)
    m = json.loads((old / "manifest.json").read_text())
    m["inputs"] = list(iter_inputs(old / INPUTS_FILE))
    del m["input_files"]
    (old / "manifest.json").write_text(json.dumps(m))
    (old / INPUTS_FILE).unlink()
    with pytest.raises(ex.ExportError, match="inline.*run --full"):
        ex.export(old, tmp_path / "old.jsonl", "jsonl")
    assert not (tmp_path / "old.jsonl").exists()


def test_a_processed_folder_whose_sidecar_is_gone_is_refused(processed, tmp_path, monkeypatch):
    import shutil
    from pipeline.runner.manifest import INPUTS_FILE
    broken = tmp_path / "broken"
    shutil.copytree(processed, broken)
    (broken / INPUTS_FILE).unlink()
    monkeypatch.setattr(ex, "SNAPSHOT_RETRY_SECONDS", 0)
    with pytest.raises(ex.SnapshotChanged, match=INPUTS_FILE):
        ex.export(broken, tmp_path / "x.jsonl", "jsonl")


_paths = st.lists(st.text(alphabet="ab/#.x", min_size=1, max_size=6), unique=True, max_size=30)


@settings(max_examples=80, deadline=None)
@given(_paths, st.data(), st.booleans(), st.booleans())
def test_the_sha1_lookup_answers_as_a_dict_of_every_input(paths, data, chunked, colliding):
    """`Sha1s.of_sources` (a `PathIndex` over Arrow columns) equals the dict it replaced, over one array or
    several chunks, and when every path has the same hash key (collisions settled by the path)."""
    import pipeline.runner.inputs as inputs
    sha1_of = {p: f"{i:040x}" for i, p in enumerate(paths)}
    sources = data.draw(st.lists(st.one_of(st.sampled_from(paths) if paths else st.just("x"),
                                           st.text(alphabet="ab/#.x", max_size=8)), max_size=30))
    column = pa.array(list(sha1_of), pa.string())
    if chunked:
        column = pa.chunked_array([column[:len(paths) // 2], column[len(paths) // 2:]], pa.string())
    key = inputs.path_key
    try:
        if colliding:
            inputs.path_key = lambda name: 0
        lookup = ex.Sha1s(column, pa.array(list(sha1_of.values()), pa.string()))
        expect = [sha1_of.get(s if s in sha1_of else s.rsplit("#", 1)[0]) for s in sources]
        assert lookup.of_sources(sources).to_pylist() == expect and len(lookup) == len(paths)
        index = inputs.PathIndex(column)
        assert [index.row(p) for p in paths] == list(range(len(paths)))
        assert index.row("\0absent") is None and index.rows(["\0absent"]).tolist() == [-1]
    finally:
        inputs.path_key = key


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_parts_gathered_a_few_at_a_time_export_the_same_bytes(tmp_path, monkeypatch, fmt):
    """`Snapshot.read` gathers the parts READ_PARTS at a time and leaves empty ones out: the same rows as
    every part concatenated, in fewer chunks, and the same export bytes."""
    import pipeline.runner.plan as planning
    monkeypatch.setattr(planning, "GROUP_EVERY", 1)   # one unit (a part per table) per input file
    processed = tmp_path / "processed"
    run(mixed_raw(tmp_path / "raw"), processed, progress=False)
    whole = tmp_path / f"whole.{fmt}"
    ex.export(processed, whole, fmt)
    monkeypatch.setattr(ex, "READ_PARTS", 2)
    gathered = tmp_path / f"gathered.{fmt}"
    ex.export(processed, gathered, fmt)
    assert gathered.read_bytes() == whole.read_bytes()
    with ex.Snapshot(processed, tables=ex.EXPORTED_TABLES) as snap:
        for name, columns in ex._SPILLED.items():
            every = pa.concat_tables(list(snap.parts(name, columns)))
            got = snap.read(name, columns)
            assert got.equals(every)
            assert got.column(0).num_chunks <= len(snap.files[name]) // 2 + 1 < every.column(0).num_chunks, name
