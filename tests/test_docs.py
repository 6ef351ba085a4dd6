"""The README and the topic documents under docs/: the README starts with the two commands, every relative link
(and its #anchor) resolves, every `make` target they name is in the Makefile, every docs/ file is linked from the
README, and every docs/ file the code, tests or changelog point to exists."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]

LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)", re.S)
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but '-' and '_' dropped, spaces to hyphens.

    >>> _slug("Identity: `doc_id`, `record_id` and kept fields")
    'identity-doc_id-record_id-and-kept-fields'
    >>> _slug("Object storage (issue 16)")
    'object-storage-issue-16'
    """
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        slug = _slug(heading)
        out.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return out


def _make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    before, fence, rest = text.partition("```")
    assert fence and all(not line.strip() or line.startswith("#") for line in before.splitlines()), \
        "nothing but headings comes before the README's first code block"
    block = rest.split("```", 1)[0].splitlines()[1:]      # the lines after ```sh
    commands = [line.split("#", 1)[0].strip() for line in block if line.split("#", 1)[0].strip()]
    assert commands[:2] == ["make pipeline", "make test"], commands


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for label, target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):      # https:, mailto: ...
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), f"{page.name}: [{label}]({target}) names a missing file"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest), f"{page.name}: [{label}]({target}): no such heading in {dest.name}"


def test_make_targets_named_exist():
    targets = _make_targets()
    assert {"pipeline", "test"} <= targets
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        code = FENCE.findall(text) + re.findall(r"`([^`\n]+)`", FENCE.sub("", text))
        for span in code:
            for name in re.findall(r"(?<![\w/.-])make ([a-z][\w-]*)", span):
                assert name in targets, f"{page.name} names `make {name}`, which the Makefile does not define"


def test_every_doc_is_linked_from_the_readme():
    linked = {(ROOT / target.partition("#")[0]).resolve()
              for _, target in LINK.findall(README.read_text(encoding="utf-8"))}
    assert DOCS, "docs/ holds the README's topic documents"
    for doc in DOCS:
        assert doc.resolve() in linked, f"README.md does not link {doc.relative_to(ROOT)}"


def test_pointers_to_docs_exist():
    """Docstrings, comments, messages and the changelog that name a docs/ file name one that exists."""
    files = [ROOT / "CHANGELOG.md", ROOT / "pyproject.toml", *ROOT.glob("pipeline/**/*.py"),
             *ROOT.glob("tests/*.py"), *ROOT.glob("scripts/*.py")]
    for f in files:
        for name in re.findall(r"\bdocs/([\w-]+\.md)", f.read_text(encoding="utf-8")):
            assert (ROOT / "docs" / name).exists(), f"{f.relative_to(ROOT)} points to docs/{name}, which is missing"
