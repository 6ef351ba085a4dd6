"""`eval policy --perturb`: the metamorphic rewrites of pipeline/eval/perturb.py. Each works line by line
(so a labelled line, rewritten, is found in the rewritten document), unaccent is idempotent, a listing's
structure hints follow its rewritten text, and the real DEV documents of tests/data/policy_labels (rebuilt
from their labelled lines, as `eval policy` does without the corpus) keep every labelled line findable."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.contract.records import Listing
from pipeline.eval import policy
from pipeline.eval.perturb import PERTURBATIONS, bullet, dash, glued, mixed, money, perturbation, remap, unaccent, upper

DATA = Path(__file__).resolve().parent / "data"
# Letters, marks, digits, units and the separators the rewrites look at.
TEXT = st.text(alphabet="aăâđeêioôơuưyAĂĐÊ àáảãạằắẳẵặầấẩẫậềếểễệ0123456789 .,-–~:kKđngàyNGÀYhvnđ\n\t", max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_unaccent_is_idempotent_and_leaves_no_mark(text):
    once = unaccent(text)
    assert unaccent(once) == once
    assert once.isascii() or all(ord(c) < 0x300 or not c.isalpha() for c in once)
    assert "đ" not in once.lower()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(PERTURBATIONS)), st.lists(TEXT.filter(lambda t: "\n" not in t), max_size=5))
def test_every_perturbation_works_line_by_line(name, lines):
    """The rewrite of a document is the rewrites of its lines: a labelled line stays findable."""
    transform = PERTURBATIONS[name]
    assert transform("\n".join(lines)) == "\n".join(transform(line) for line in lines)


@pytest.mark.parametrize("text, expected", [
    # forms from real listings (products.jsonl, policies/): each rewrite, and the text it leaves alone
    ("Bảo hành 12 tháng, đổi trả trong 7 ngày", "Bao hanh 12 thang, doi tra trong 7 ngay"),
    ("ĐỔI TRẢ", "DOI TRA"),
])
def test_unaccent(text, expected):
    assert unaccent(text) == expected


def test_the_other_rewrites():
    assert upper("phí ship 30k") == "PHÍ SHIP 30K"
    assert glued("Đổi trả 30 ngày, ship 20 k, 2 sản phẩm") == "Đổi trả 30ngày, ship 20k, 2 sản phẩm"
    assert money("Phí ship 30.000đ, đơn từ 500K") == "Phí ship 30K, đơn từ 500.000 VNĐ"
    assert money("1.250.000đ, $4.99") == "1.250.000đ, $4.99"   # not whole thousands: left alone
    assert dash("2-3 ngày, 3–5 ngày, 2024") == "2–3 ngày, 3~5 ngày, 2024"
    assert mixed("Đổi trả trong 7 ngày") == "Đổi tra trong 7 ngày"
    assert bullet("Giao hàng\n\n2-3 ngày") == "✅ Giao hàng\n\n✅ 2-3 ngày"
    with pytest.raises(ValueError, match="unaccent"):
        perturbation("lowercase")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(PERTURBATIONS)), st.lists(TEXT.filter(lambda t: "\n" not in t), min_size=1, max_size=5))
def test_hints_follow_the_rewritten_text(name, lines):
    """A hint on whole lines (a heading, a bullet) covers the same line, rewritten."""
    text = "\n".join(lines)
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    hints = [(s, s + len(line), "paragraph", None) for s, line in zip(starts, lines)]
    listing = policy.perturb_listing(Listing("d", "d.txt", "txt", lines[0], text, hints=list(hints)), name)
    transform = PERTURBATIONS[name]
    assert listing.text == transform(text) and listing.title == transform(lines[0])
    for (s, e, _, _), line in zip(listing.hints, lines):
        assert listing.text[s:e] == transform(line)
    assert remap(text, transform, [0, len(text)]) == [0, len(transform(text))]


def _dev_docs(n: int) -> list[dict]:
    splits = json.loads((DATA / "splits.json").read_text(encoding="utf-8"))["policy"]
    docs = [d for d in policy.load(DATA) if splits[d["group"]] == "dev"]
    return docs[::max(1, len(docs) // n)][:n]   # spread over the label files


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_a_perturbed_documents_labelled_lines_are_all_found(name):
    """Real DEV documents rebuilt from their labelled lines, rewritten: every line is found in a block, the
    fact labels are untouched, and the lines' text did change for a rewrite that applies to them."""
    docs = _dev_docs(12)
    rewritten = policy.perturbed(docs, name)
    assert [policy.gold_facts(d) for d in rewritten] == [policy.gold_facts(d) for d in docs]
    listings = policy.read_listings(rewritten, None, name)
    for doc in rewritten:
        assert None not in policy.line_blocks(doc, listings[doc["doc"]]), doc["doc"]
    changed = sum(a["text"] != b["text"] for d, e in zip(docs, rewritten) for a, b in zip(d["lines"], e["lines"]))
    assert (changed == 0) == (name == "none")


def test_evaluate_refuses_an_unknown_perturbation_and_the_cli_lists_them():
    with pytest.raises(ValueError, match="perturbation"):
        policy.evaluate(DATA, None, "dev", perturb="typos")
    out = subprocess.run([sys.executable, "-m", "pipeline", "eval", "--help"], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout
    assert "--perturb" in out and all(name in out for name in PERTURBATIONS)
