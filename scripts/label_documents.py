"""Choose the next documents to label for policy facts and zones, and build a label file from a compact spec.

    python scripts/label_documents.py list policies [--corpus DIR] [--limit N]
    python scripts/label_documents.py list products.jsonl [--corpus DIR] [--limit N]
    python scripts/label_documents.py skeleton DOC... [--corpus DIR] > spec.txt
    python scripts/label_documents.py build spec.txt --out tests/data/policy_labels/NEW.jsonl [--add-splits]

`list` prints the unlabelled documents of a corpus folder (or the Tiki records of products.jsonl whose
description names a seller's term, TERM_WORDS) in the fixed order of sha1(file name) or sha1(record id),
each with its source, its split (the existing entry of tests/data/splits.json["policy"], or `new:` and
the split its "_rule" draws) and its number of lines, and marks those to skip, as RULES.md says:
`labelled` (in a label file already), `fixture` (the document, or its source with no split, is named in a
test fixture under tests/data/: the rules were tuned on it), `near-copy` (>= NEAR_COPY of its 6-word
shingles shared with a labelled or earlier listed document of the same source; all Tiki records count as one).

`skeleton` prints a spec to fill in for the given documents (`policies/pol-x.txt`, `products.jsonl#tiki-1`).
A spec has one header per document, then exactly one line per non-empty line of the document:

    @ policies/pol-x.txt [en|vi]
    p return_window:-:7:day | Đổi trả trong vòng 7 ngày kể từ khi nhận hàng
    o n | Nhập mã FREESHIP giảm 30K

zone letter (p policy, d description, o other), then any facts `type:min:max:unit` (`-` for null), `n`
for a negative line, then `|` and the line's text. `build` checks every text against the document's own
line, finds each line in the text the pipeline's reader gives (whitespace-squashed and in order, as
pipeline/eval/policy.py finds it), and writes the JSONL label file; `--add-splits` appends the split of
every new source to splits.json["policy"] by its "_rule" (never changing an entry).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.text.normalize import normalize  # noqa: E402

DATA = ROOT / "tests" / "data"
CORPUS = Path("../shared/corpus")   # as the Makefile's CORPUS
ZONES = {"p": "policy", "d": "description", "o": "other"}
NEAR_COPY = 0.8      # share of 6-word shingles (of the smaller document) that makes a near-copy
SHINGLE = 6
TIKI_CLOSING = "Giá sản phẩm trên Tiki đã bao gồm thuế"   # the closing paragraph every Tiki record has
# A Tiki record is a candidate when a description line (the closing paragraph aside) holds one of these
# words (case-insensitive): fixed before choosing, independent of the pipeline's lexicon (RULES.md).
TERM_WORDS = ("đổi trả", "đổi hàng", "trả hàng", "bảo hành", "giao hàng", "vận chuyển", "hoàn tiền",
              "phí ship", "return", "warranty", "shipping")
# A corpus document named in a test fixture's text.
_FIXTURE_NAME = re.compile(r"""
    (?:pol|lst)-[\w.-]+?\.(?:txt|html)   # a policy page or an HTML listing (corpus file name)
  | tiki-\d+                             # a Tiki record (its id)
""", re.X)
_VI_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def nfc_lines(text: str) -> list[str]:
    """The non-empty lines of a text as the pipeline normalizes it (NFC, no invisible or control characters),
    whitespace-trimmed."""
    return [s for s in (line.strip() for line in normalize(text).splitlines()) if s]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        if not (root / "SOURCES-2.md").is_file():
            raise SystemExit(f"no corpus at {root} (no SOURCES-2.md): pass --corpus")
        self.sources = {m.group(1): m.group(2) for m in re.finditer(
            r"^- `((?:pol|lst)-[^`]+)` ← `([^:`]+):", (root / "SOURCES-2.md").read_text(encoding="utf-8"), re.M)}
        self._records: dict[str, dict] | None = None

    def records(self) -> dict[str, dict]:
        if self._records is None:
            with (self.root / "products.jsonl").open(encoding="utf-8") as fh:
                self._records = {r["id"]: r for r in map(json.loads, fh)}
        return self._records

    def group(self, doc: str) -> str:
        if doc.startswith("products.jsonl#"):
            return "tiki:" + re.search(r"data/(batch_\d+)\.json", self.records()[doc.split("#", 1)[1]]["source"]).group(1)
        return self.sources[Path(doc).name]

    def lines(self, doc: str) -> list[str]:
        """The document's lines as RULES.md labels them: a Tiki record's description, an HTML file's
        visible text per block element, a text file's lines."""
        if doc.startswith("products.jsonl#"):
            return nfc_lines(self.records()[doc.split("#", 1)[1]]["description_text"] or "")
        raw = (self.root / doc).read_text(encoding="utf-8")
        if doc.endswith(".html"):
            from bs4 import BeautifulSoup
            raw = BeautifulSoup(raw, "html.parser").get_text("\n")
        return nfc_lines(raw)

    def reader_text(self, doc: str) -> str:
        """The document's text as the pipeline's reader gives it (as pipeline/eval/policy.py reads it)."""
        from pipeline.readers import read_file
        with tempfile.TemporaryDirectory() as tmp:
            if doc.startswith("products.jsonl#"):
                path = Path(tmp) / "0.json"
                path.write_text(json.dumps(self.records()[doc.split("#", 1)[1]], ensure_ascii=False), encoding="utf-8")
            else:
                path = Path(tmp) / f"0{Path(doc).suffix}"
                path.write_bytes((self.root / doc).read_bytes())
            return next(iter(read_file(path, Path(tmp)))).text


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def split_by_rule(group: str) -> str:
    """The split splits.json's "_rule" draws for a new source."""
    return "test" if int(sha1("policy-split-1" + group), 16) % 3 == 0 else "dev"


def shingles(lines: list[str]) -> set[tuple]:
    words = re.findall(r"\w+", " ".join(s for s in lines if not s.startswith(TIKI_CLOSING)).lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def overlap(a: set, b: set) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def labelled_docs(data: Path) -> list[dict]:
    return [d for path in sorted((data / "policy_labels").glob("*.jsonl")) for d in read_jsonl(path)]


def fixture_names(data: Path) -> set[str]:
    """Every corpus document named in a test fixture outside policy_labels (file names and Tiki ids)."""
    names = set()
    for path in sorted(data.rglob("*.jsonl")):
        if "policy_labels" not in path.parts:
            names |= set(_FIXTURE_NAME.findall(path.read_text(encoding="utf-8")))
    return names


def candidates(corpus: Corpus, where: str) -> list[str]:
    """The documents of a folder, or the Tiki records naming a term, in sha1 order of file name / record id."""
    if where == "products.jsonl":
        docs = [rid for rid, r in corpus.records().items()
                if any(w in line.lower() for line in nfc_lines(r["description_text"] or "")
                       if not line.startswith(TIKI_CLOSING) for w in TERM_WORDS)]
        return ["products.jsonl#" + rid for rid in sorted(docs, key=sha1)]
    return [f"{where}/{name}" for name in sorted((p.name for p in (corpus.root / where).iterdir()), key=sha1)]


def _copy_key(group: str) -> str:
    """Near-copies are looked for within a source; Tiki's batch files count as one source (a seller's template
    recurs across them)."""
    return "tiki" if group.startswith("tiki:") else group


def list_documents(corpus: Corpus, where: str, data: Path, limit: int | None) -> list[dict]:
    """Each candidate with its source, split, line count and why it is skipped ('' when it is to label)."""
    splits = json.loads((data / "splits.json").read_text(encoding="utf-8"))["policy"]
    labelled = labelled_docs(data)
    done = {d["doc"] for d in labelled}
    fixtures = fixture_names(data)
    fixture_groups = {corpus.sources[n] for n in fixtures if n in corpus.sources}
    seen: dict[str, list[tuple[str, set]]] = {}   # source → (doc, shingles) of labelled and listed documents
    for d in labelled:
        if d["doc"].startswith("products.jsonl#") or (corpus.root / d["doc"]).exists():
            seen.setdefault(_copy_key(d["group"]), []).append((d["doc"], shingles([line["text"] for line in d["lines"]])))
    out = []
    for doc in candidates(corpus, where):
        group = corpus.group(doc)
        lines = corpus.lines(doc)
        row = {"doc": doc, "group": group, "split": splits.get(group) or "new:" + split_by_rule(group),
               "lines": len(lines), "skip": ""}
        if doc in done:
            row["skip"] = "labelled"
        elif re.split(r"[/#]", doc)[-1] in fixtures or (group in fixture_groups and group not in splits):
            row["skip"] = "fixture"
        else:
            sh = shingles(lines)
            copy = max(((overlap(sh, other), name) for name, other in seen.get(_copy_key(group), [])), default=(0.0, ""))
            if copy[0] >= NEAR_COPY:
                row["skip"] = f"near-copy {copy[0]:.2f} of {copy[1]}"
            else:
                seen.setdefault(_copy_key(group), []).append((doc, sh))
        out.append(row)
        if limit is not None and sum(not r["skip"] for r in out) >= limit:
            break
    return out


# ------------------------------------------------------------------ the spec and the label file

def parse_fact(token: str) -> dict:
    """`type:min:max:unit` → a fact; `-` is null.

    >>> parse_fact("return_window:-:7:day")
    {'type': 'return_window', 'min': None, 'max': 7, 'unit': 'day'}
    >>> parse_fact("free_shipping_threshold:1500000:-:VND")["min"]
    1500000
    >>> parse_fact("delivery_time:-:0.5:hour")["max"]
    0.5
    """
    kind, lo, hi, unit = token.split(":")
    num = lambda v: None if v == "-" else (int(float(v)) if float(v).is_integer() else float(v))  # noqa: E731
    return {"type": kind, "min": num(lo), "max": num(hi), "unit": unit}


def parse_spec(text: str) -> list[tuple[str, str | None, list[tuple[str, list[dict], bool, str | None]]]]:
    """(doc, lang or None, [(zone, facts, negative, text or None)]) per document of a spec."""
    docs = []
    for n, raw in enumerate(text.splitlines(), 1):
        code, bar, line_text = raw.partition("|")
        code = code.strip()
        if not code or code.startswith("#"):
            continue
        if code.startswith("@"):
            head = re.split(r"\s#", code[1:], maxsplit=1)[0].split()   # skeleton's "\t# source" tail; ids hold '#'
            docs.append((head[0], head[1] if len(head) > 1 else None, []))
            continue
        zone, *tokens = code.split()
        if zone not in ZONES or not docs:
            raise SystemExit(f"spec line {n}: expected a zone letter (p, d, o) after a '@ doc' header: {raw!r}")
        facts = [parse_fact(t) for t in tokens if t != "n"]
        docs[-1][2].append((ZONES[zone], facts, "n" in tokens, line_text.strip() if bar else None))
    return docs


def squashed(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def build(spec: str, corpus: Corpus) -> list[dict]:
    """The label documents of a spec, each line checked against its document (raises SystemExit on a mismatch)."""
    out, errors = [], []
    for doc, lang, rows in parse_spec(spec):
        lines = corpus.lines(doc)
        if len(rows) != len(lines):
            errors.append(f"{doc}: {len(rows)} spec lines for {len(lines)} document lines")
            continue
        text, cursor = squashed(corpus.reader_text(doc)), 0
        labelled = []
        for i, ((zone, facts, negative, written), line) in enumerate(zip(rows, lines)):
            if written is not None and written != line:
                errors.append(f"{doc} line {i}: spec text {written[:60]!r} is not the document's {line[:60]!r}")
            pos = text.find(squashed(line), cursor)
            if pos < 0:
                errors.append(f"{doc} line {i}: not found in the reader's text: {line[:60]!r}")
            else:
                cursor = pos + len(squashed(line))
            if negative and facts:
                errors.append(f"{doc} line {i}: a negative line carries no fact")
            labelled.append({"text": line, "zone": zone, **({"facts": facts} if facts else {}),
                             **({"negative": True} if negative else {})})
        out.append({"doc": doc, "group": corpus.group(doc),
                    "lang": lang or ("vi" if _VI_LETTERS.search(" ".join(lines).lower()) else "en"), "lines": labelled})
    if errors:
        raise SystemExit("\n".join(errors))
    return out


def add_splits(path: Path, groups: list[str]) -> list[str]:
    """Append each group without an entry to splits.json["policy"], by the "_rule", as text (entries kept as they are)."""
    text = path.read_text(encoding="utf-8")
    known = json.loads(text)["policy"]
    new = [g for g in dict.fromkeys(groups) if g not in known]
    if new:
        lines = text.split("\n")
        start = next(i for i, s in enumerate(lines) if s.startswith(' "policy": {'))
        end = next(i for i in range(start, len(lines)) if lines[i] in (" },", " }"))
        lines[end - 1] += ","
        lines[end:end] = [f"  {json.dumps(g)}: \"{split_by_rule(g)}\"" + ("," if k < len(new) - 1 else "")
                          for k, g in enumerate(new)]
        path.write_text("\n".join(lines), encoding="utf-8")
        json.loads(path.read_text(encoding="utf-8"))
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See tests/data/policy_labels/RULES.md for the rules the labels follow.")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus folder (default: %(default)s, from the repository)")
    ap.add_argument("--data", type=Path, default=DATA, help="the tests' data folder (default: %(default)s)")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="the unlabelled documents in sha1 order, with source, split and skip reason")
    p.add_argument("where", help="a corpus folder (policies, listings_html) or products.jsonl")
    p.add_argument("--limit", type=int, help="stop after this many documents to label")
    p = sub.add_parser("skeleton", help="a spec to fill in for the given documents")
    p.add_argument("docs", nargs="+", help="policies/pol-x.txt or products.jsonl#tiki-1")
    p = sub.add_parser("build", help="a JSONL label file from a spec")
    p.add_argument("spec", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--add-splits", action="store_true", help="append new sources to splits.json by its _rule")
    args = ap.parse_args(argv)
    corpus = Corpus(args.corpus)
    if args.command == "list":
        for i, row in enumerate(list_documents(corpus, args.where, args.data, args.limit)):
            print(i, row["doc"], row["group"], row["split"], row["lines"], row["skip"] or "to label", sep="\t")
    elif args.command == "skeleton":
        for doc in args.docs:
            print(f"@ {doc}\t# {corpus.group(doc)}")
            for line in corpus.lines(doc):
                print(("p n" if line.startswith(TIKI_CLOSING) else "?") + " | " + line)
            print()
    else:
        docs = build(args.spec.read_text(encoding="utf-8"), corpus)
        args.out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        print(f"{len(docs)} documents, {sum(len(d['lines']) for d in docs)} lines → {args.out}")
        if args.add_splits:
            print("new sources:", add_splits(args.data / "splits.json", [d["group"] for d in docs]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
