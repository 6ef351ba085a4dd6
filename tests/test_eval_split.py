"""`pipeline eval policy --split dev|test|all`: an engineer can score the dev split alone, without the test
split's figures being printed (or its documents read)."""
from __future__ import annotations

import pytest

from pipeline.__main__ import main
from pipeline.eval import policy
from conftest import DATA


def test_dev_split_prints_dev_only_and_reads_no_test_document(capsys, monkeypatch):
    read = []
    real = policy.read_listings
    monkeypatch.setattr(policy, "read_listings", lambda docs, corpus: read.extend(docs) or real(docs, corpus))
    assert main(["eval", "policy", "--split", "dev"]) == 0
    out = capsys.readouterr().out
    assert "Policy facts, dev split" in out and "Zones, dev split" in out
    assert "test split" not in out
    split = policy.split_of(DATA)
    assert read and {split[d["group"]] for d in read} == {"dev"}


def test_test_split_alone_and_all_by_default():
    test_only = policy.evaluate(DATA, None, split="test").render()
    assert "Policy facts, test split" in test_only and "dev split" not in test_only
    both = policy.evaluate(DATA, None).render()
    assert both.index("Policy facts, dev split") < both.index("Policy facts, test split")
    # the default prints each part as the chosen split alone does
    assert test_only.splitlines()[0] in both


def test_unknown_split_is_refused(capsys):
    with pytest.raises(ValueError):
        policy.evaluate(DATA, None, split="train")
    with pytest.raises(SystemExit):
        main(["eval", "policy", "--split", "train"])
    assert "invalid choice" in capsys.readouterr().err


def test_help_explains_the_switch(capsys):
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    assert "--split" in capsys.readouterr().out
