"""The writer's column-wise tables (issue 16, speed43): `tables_for` builds each table from a list per column and must
give what `to_table` gives on `rows_for`'s rows (schema included): on real listings (the seed listing in raw/, the
Tiki records of tests/data/corpus_sample.jsonl, the HTML pages of tests/data/headings_html; their READMEs name the
sources), on listings stopped before the quality stage (no quality, no facts), on real rejects (files the readers
refuse) and on empty tables."""
from __future__ import annotations

import copy
import shutil

import pytest

from pipeline.contract.schema import TABLES
from pipeline.readers import FieldMap, read_file
from pipeline.runner.write import rows_for, tables_for, to_table
from pipeline.stages import process
from conftest import DATA, SEED


KEEP = FieldMap(keep=("price", "url_key"))   # the Tiki records' other fields, carried into catalog.extra


def reference(listings, rejects):
    return {name: to_table(name, rows) for name, rows in rows_for(listings, rejects).items()}


def assert_same_tables(listings, rejects):
    got, expected = tables_for(listings, rejects), reference(listings, rejects)
    assert list(got) == list(expected) == list(TABLES)
    for name in TABLES:
        assert got[name].schema.equals(expected[name].schema, check_metadata=True), name
        assert got[name].equals(expected[name], check_metadata=True), name
    return got


@pytest.fixture(scope="module")
def real_records(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(SEED, raw / SEED.name)
    shutil.copy(DATA / "corpus_sample.jsonl", raw / "corpus_sample.jsonl")
    shutil.copytree(DATA / "headings_html", raw / "html", ignore=shutil.ignore_patterns("*.md"))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "refused.jsonl").write_bytes(b'{"bad json\n{"title": "no text field"}\n')
    (raw / "undecodable.txt").write_bytes(b"\xff\xfe\x00")
    records = [rec for path in sorted(p for p in raw.rglob("*") if p.is_file()) for rec in read_file(path, raw, KEEP)]
    return [r for r in records if hasattr(r, "text")], [r for r in records if not hasattr(r, "text")]


@pytest.fixture(scope="module")
def real(real_records):
    records, rejects = real_records
    return [process(copy.deepcopy(r)) for r in records], rejects


def test_real_listings_and_rejects_give_the_reference_tables(real):
    listings, rejects = real
    assert len(listings) >= 10 and {r.reason for r in rejects} >= {"empty", "bad_json", "no_text", "undecodable"}
    got = assert_same_tables(listings, rejects)
    for name in ("documents", "blocks", "policy_facts", "sections", "sentences", "catalog", "rejects"):
        assert got[name].num_rows > 0, name   # every table holds rows, or it proves nothing
    assert got["catalog"].column("extra").null_count < len(listings)   # a record's other fields, as JSON
    assert any(q for q in got["policy_facts"].column("qualifier").to_pylist())
    assert_same_tables(listings[:1], [])   # a unit of one listing, no rejects
    assert_same_tables(listings[1:4], rejects[:1])


def test_listings_without_quality_or_facts_give_the_reference_tables(real_records):
    records, rejects = real_records
    zoned = [process(copy.deepcopy(r), until="zones") for r in records]
    assert all(x.quality is None and not x.facts for x in zoned)
    got = assert_same_tables(zoned, rejects)
    assert got["documents"].column("description_genre").null_count == len(zoned)
    assert got["policy_facts"].num_rows == got["sections"].num_rows == 0


def test_empty_tables_give_the_reference_tables(real):
    listings, rejects = real
    for empty in assert_same_tables([], []).values():
        assert empty.num_rows == 0
    assert assert_same_tables([], rejects)["documents"].num_rows == 0
    assert assert_same_tables(listings, [])["rejects"].num_rows == 0
