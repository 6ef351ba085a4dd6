"""Every kind is declared once, in pipeline/contract/kinds.py: a fake fact type added through the registry
(and one lexicon cue to find it) reaches policy_facts, the catalog, the table schemas and the export's JSON
Schema with no other change; tests, notebooks and the README read the registry."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.contract import kinds
from pipeline.contract.schema import CATALOG, POLICY_FACTS, REJECTS, TABLES

ROOT = Path(__file__).resolve().parents[1]

FAKE = r'''
import json, sys
from pipeline.contract import kinds
from pipeline.lexicon import load

# The registry: a fact type with its catalog column...
kinds.FACT_TYPES["pickup_window"] = kinds.FactType("pickup_window", "how long an order waits at the pickup point", (
    kinds.Column("pickup_days", "upper", "duration", "first", "Pickup window in days."),))
# ...and a lexicon cue that finds it.
load("facts")["cues"].append({"name": "pickup", "duration": "pickup_window", "phrases": ["pickup counter"]})

from pipeline.contract.schema import CATALOG, POLICY_FACTS
from pipeline.runner.export import json_schema
from pipeline.readers import make_listing
from pipeline.runner.write import rows_for, to_table
from pipeline.stages import process

text = "Chính sách đổi trả\nĐổi trả trong 7 ngày. Orders wait at the pickup counter for up to 5 days."
listing = process(make_listing("x.txt", "txt", None, None, text, len(text), is_html=False))
rows = rows_for([listing], [])
facts = to_table("policy_facts", rows["policy_facts"]).to_pylist()
catalog = to_table("catalog", rows["catalog"]).to_pylist()[0]
print(json.dumps({
    "facts": [(f["fact_type"], f["value_min"], f["value_max"], f["unit"]) for f in facts],
    "catalog": catalog.get("pickup_days"), "unit": catalog.get("pickup_window_unit"),
    "return_days": catalog.get("return_window"),
    "catalog_schema": "pickup_days" in CATALOG.names,
    "fact_type_doc": POLICY_FACTS.field("fact_type").metadata[b"description"].decode(),
    "json_schema": json_schema()["properties"].get("pickup_days"),
}))
'''


def test_a_fake_fact_type_reaches_every_output():
    res = subprocess.run([sys.executable, "-c", FAKE], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert ["pickup_window", None, 5.0, "day"] in got["facts"]
    assert got["catalog"] == 5.0 and got["unit"] == "day" and got["return_days"] == 7.0
    assert got["catalog_schema"] and "pickup_window" in got["fact_type_doc"]
    assert got["json_schema"]["description"] == "Pickup window in days."


def test_schemas_list_the_registry():
    assert list(TABLES) == list(kinds.TABLES)
    for name, table in kinds.TABLES.items():
        assert TABLES[name].metadata[b"description"].decode() == table.description
    assert [c.name for c in kinds.catalog_columns()] == [n for n in CATALOG.names if n in
                                                          {c.name for c in kinds.catalog_columns()}]
    doc = POLICY_FACTS.field("fact_type").metadata[b"description"].decode()
    assert all(t in doc for t in kinds.FACT_TYPES)
    assert all(r in REJECTS.field("reason").metadata[b"description"].decode() for r in kinds.REJECT_REASONS)


def test_columns_are_well_formed():
    for t in kinds.FACT_TYPES.values():
        for c in t.columns:
            assert c.pick in ("lower", "upper", "min", "max", "lower_or_zero"), c
            assert c.combine in ("first", "min", "max"), c
            assert c.unit in kinds.COLUMN_UNITS, c


def test_the_lexicon_configures_only_registered_fact_types():
    from pipeline.lexicon import load
    lex = load("facts")
    assert set(lex["facts"]) <= set(kinds.FACT_TYPES)
    for group in lex["cues"]:
        assert {group.get("money"), group.get("duration")} - {None} <= set(kinds.FACT_TYPES), group["name"]


def test_readers_cover_the_formats():
    from pipeline.readers import FORMATS, READERS
    assert set(READERS) == set(kinds.FORMATS)
    assert set(FORMATS.values()) == set(kinds.FORMATS)
    for name, reader in READERS.items():
        assert hasattr(reader, "read_stream" if getattr(reader, "STREAMING", False) else "read"), name


def test_notebooks_and_readme_read_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for t in kinds.FACT_TYPES:
        assert f"`{t}`" in readme
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        src = "".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"])
        assert '"free_shipping_threshold"' not in src, f"{nb.name} lists fact types by hand"


def test_stage_commands_follow_the_declarations():
    from pipeline.cli.stage import STAGE_NAMES
    from pipeline.stages import STAGES
    assert STAGE_NAMES == tuple(STAGES)
