"""Real Markdown articles → heading-less paragraphs + the answer key (where each section started, at which level).

Used by `pipeline.eval.boundaries` and `scripts/train_boundaries.py`. The corpus folder is an argument
(`../shared/corpus` or its `articles/` folder); nothing here knows an article's words.

What a paragraph is (the same cut gives the model's input and the key, so they always agree):
- front matter (a leading `---` … `---` or `+++` … `+++` block) is dropped;
- Markdown is read line by line: a heading line (`#`–`######` or a one-line `<h1>`–`<h6>`, outside code) is never text; blank lines
  separate paragraphs; consecutive text lines are one paragraph (joined by a space, as a browser shows
  a soft line break); a text line followed directly by a list line ends its paragraph;
- a contiguous list (item lines, their indented continuations, blank lines between items) is ONE
  paragraph, its items kept one per line with a "- " marker, unless its items are long (median item
  ≥ `LONG_ITEM_WORDS` words): then each item is a paragraph of its own (an item of that length reads
  as a paragraph);
- a table (lines starting with "|") is one paragraph, its separator row dropped; a fenced code block
  is one paragraph;
- what a reader does not see is dropped: HTML comments, <script>/<style> blocks, ad/markup-only lines,
  images, Hugo/Liquid shortcodes; inline markup is reduced to its visible text (links → their text,
  **bold**/*italic*/`code` markers and HTML tags removed) — the input looks like what a scraper keeps
  with innerText.

The answer key: the paragraph after a heading starts a section at that heading's level (several
headings in a row: the shallowest). Levels are relative: 1 = the shallowest heading level present in
the article. A single `#` heading is the article's title, not a section (dropped); `#` used two or more
times (outside code) is a section level like the others. Boundaries are paragraph indices ≥ 1 (a heading
before the first paragraph marks no gap).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

LONG_ITEM_WORDS = 40

HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>.*</h\1>\s*$", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(\S.*)$")
TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
TAG = re.compile(r"<[^>]+>")
SHORTCODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
EMPH = re.compile(r"""(
      \*\*      # bold
    | __        # bold, underscores
    | \*        # italic
    | `         # inline code
)""", re.VERBOSE)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Elements whose content is not visible text: scripts, styles, ad slots, noscript fallbacks.
HIDDEN_BLOCK = re.compile(r"<(script | style | ins | noscript)\b .*? </\1>", re.DOTALL | re.IGNORECASE | re.VERBOSE)
WORD = re.compile(r"[^\W_]+")
SOURCE_LINE = re.compile(r"^- `([^`]+)` ← `([^:`]+):")


@dataclass
class Article:
    name: str
    lang: str
    repo: str
    paragraphs: list[str]
    key: dict[int, int] = field(default_factory=dict)   # paragraph index (≥1) → level (1 = top)

    @property
    def top(self) -> list[int]:
        """Sorted indices of the top-level (level-1) section starts."""
        return sorted(i for i, lv in self.key.items() if lv == 1)


def strip_front_matter(raw: str) -> str:
    lines = raw.lstrip("\ufeff").split("\n")
    if lines and lines[0].strip() in ("---", "+++"):
        mark = lines[0].strip()
        for k in range(1, len(lines)):
            if lines[k].strip() == mark:
                return "\n".join(lines[k + 1:])
    return raw


def visible(text: str) -> str:
    """Inline Markdown/HTML reduced to the text a reader sees."""
    text = IMAGE.sub("", text)
    text = LINK.sub(r"\1", text)
    text = REF_LINK.sub(r"\1", text)
    text = SHORTCODE.sub("", text)
    text = TAG.sub("", text)
    text = EMPH.sub("", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    return re.sub(r"[ \t]+", " ", text).strip()


def _words(text: str) -> int:
    return len(WORD.findall(text))


def paragraphs_and_headings(raw: str) -> tuple[list[str], dict[int, list[int]]]:
    """The one Markdown stripping of the eval (this module's key and `pipeline.eval.sections`): the visible
    paragraphs of a Markdown text (front matter, comments, hidden blocks, fences, tables, lists and inline
    markup handled as below) and, per paragraph index, the source levels of the headings right before it
    ('#' count or h-level; headings after the last paragraph under the index len(paragraphs))."""
    body = strip_front_matter(raw.replace("\r\n", "\n"))
    body = COMMENT.sub("", body)
    body = HIDDEN_BLOCK.sub("", body)
    lines = body.split("\n")

    # Tokens in reading order: ("h", level) | ("p", text) | ("list", [items]) | ("table", text) | ("code", text)
    tokens: list[tuple[str, object]] = []
    para: list[str] = []
    items: list[str] | None = None
    table: list[str] = []

    def flush_para():
        if para:
            t = visible(" ".join(para))
            if _words(t):
                tokens.append(("p", t))
            para.clear()

    def flush_list():
        nonlocal items
        if items:
            kept = [t for t in (visible(i) for i in items) if _words(t)]
            if kept:
                tokens.append(("list", kept))
        items = None

    def flush_table():
        if table:
            rows = [visible(r.strip().strip("|").replace("|", " | ")) for r in table if not TABLE_SEP.match(r)]
            rows = [r for r in rows if _words(r)]
            if rows:
                tokens.append(("table", "\n".join(rows)))
            table.clear()

    i = 0
    pending_blank = False
    while i < len(lines):
        line = lines[i]
        if FENCE.match(line):
            flush_para(); flush_list(); flush_table()
            code = []
            i += 1
            while i < len(lines) and not FENCE.match(lines[i]):
                code.append(lines[i])
                i += 1
            i += 1
            text = "\n".join(c.rstrip() for c in code).strip()
            if _words(text):
                tokens.append(("code", text))
            pending_blank = False
            continue
        stripped = line.strip()
        if not stripped:
            flush_para(); flush_table()
            pending_blank = True
            i += 1
            continue
        m = HEADING.match(line)
        hm = HTML_HEADING.match(line)
        if m and not line.startswith((" ", "\t")) or hm:
            flush_para(); flush_list(); flush_table()
            tokens.append(("h", len(m.group(1)) if m and not hm else int(hm.group(1))))
            i += 1
            pending_blank = False
            continue
        if stripped.startswith("|"):
            flush_para(); flush_list()
            table.append(stripped)
            i += 1
            pending_blank = False
            continue
        li = LIST_ITEM.match(line)
        if li:
            flush_para(); flush_table()
            if items is None:
                items = []
            if li.group(1) and items:                 # a nested item: part of its parent item's line
                items.append(li.group(2))
            else:
                items.append(li.group(2))
            i += 1
            pending_blank = False
            continue
        if items is not None and (line.startswith(("  ", "\t")) and not pending_blank or
                                  line.startswith(("   ", "\t")) and pending_blank):
            items[-1] += " " + stripped                # continuation of the last item
            i += 1
            pending_blank = False
            continue
        # plain text
        flush_list(); flush_table()
        if _words(visible(stripped)) or para:
            para.append(stripped)
        i += 1
        pending_blank = False
    flush_para(); flush_list(); flush_table()

    paragraphs: list[str] = []
    before: dict[int, list[int]] = {}
    pending: list[int] = []
    for kind, val in tokens:
        if kind == "h":
            pending.append(val)
            continue
        if kind == "list":
            its = val
            if median(_words(t) for t in its) >= LONG_ITEM_WORDS:
                chunks = list(its)
            else:
                chunks = ["\n".join("- " + t for t in its)]
        else:
            chunks = [val]
        for c in chunks:
            if pending:
                before[len(paragraphs)] = pending
                pending = []
            paragraphs.append(c)
    if pending:
        before[len(paragraphs)] = pending           # headings after the last paragraph (no paragraph of theirs)
    return paragraphs, before


def parse(raw: str) -> tuple[list[str], dict[int, int]]:
    """(paragraphs, key) of one Markdown article (front matter included or not): a heading level used once on
    top is a title or wrapper, not a section; the key's levels count from the highest level left (1 = top);
    a heading before the first paragraph opens no boundary."""
    paragraphs, before = paragraphs_and_headings(raw)
    levels = [lv for k in sorted(before) for lv in before[k]]
    titles: set[int] = set()               # levels used once on top: titles / wrappers, not sections
    while True:
        rest = [lv for lv in levels if lv not in titles]
        if len(rest) > 1 and rest.count(min(rest)) == 1:
            titles.add(min(rest))
        else:
            break
    section_levels = [lv for lv in levels if lv not in titles]
    top = min(section_levels) if section_levels else 1
    key: dict[int, int] = {}
    for k, lvs in before.items():
        kept = [lv for lv in lvs if lv not in titles]
        if 0 < k < len(paragraphs) and kept:
            key[k] = min(kept) - top + 1
    return paragraphs, key


def repositories(corpus: Path) -> dict[str, str]:
    """file name → repository (owner/name), from the corpus's SOURCES-2.md (section "articles/")."""
    src = corpus / "SOURCES-2.md"
    out: dict[str, str] = {}
    if not src.exists():
        return out
    in_articles = False
    for line in src.read_text(encoding="utf-8").split("\n"):
        if line.startswith("## "):
            in_articles = line.startswith("## articles/")
            continue
        if in_articles:
            m = SOURCE_LINE.match(line)
            if m:
                out[m.group(1)] = m.group(2)
    return out


def articles_dir(corpus: Path) -> Path:
    corpus = Path(corpus)
    return corpus / "articles" if (corpus / "articles").is_dir() else corpus


def load(corpus: Path) -> list[Article]:
    """Every Markdown article of the folder, sorted by file name. The repository comes from SOURCES-2.md
    (looked up next to the folder or one level up); without it, from a README line "file ← repo" or the
    file name's second part."""
    folder = articles_dir(corpus)
    repos = repositories(folder.parent) or repositories(folder)
    readme = folder / "README.md"
    if not repos and readme.exists():
        for line in readme.read_text(encoding="utf-8").split("\n"):
            m = SOURCE_LINE.match(line)
            if m:
                repos[m.group(1)] = m.group(2)
    out = []
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        paragraphs, key = parse(path.read_text(encoding="utf-8"))
        parts = path.stem.split("-")
        lang = parts[1] if len(parts) > 2 and parts[0] == "art" else parts[0]
        repo = repos.get(path.name, parts[2] if len(parts) > 2 else path.stem)
        out.append(Article(path.name, lang, repo, paragraphs, key))
    return out


def fingerprint(articles: list[Article]) -> str:
    """sha1 over the articles' names, paragraphs and keys (what a fit was made on)."""
    h = hashlib.sha1()
    for a in articles:
        h.update(a.name.encode())
        for p in a.paragraphs:
            h.update(b"\x00" + p.encode())
        h.update(repr(sorted(a.key.items())).encode())
    return h.hexdigest()[:16]


# ------------------------------------------------------------------ splits

SPLITS_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "splits.json"
TEST_MIN, TEST_MAX = 1 / 3, 0.45


def split_rule(articles: list[Article]) -> dict[str, str]:
    """Repository → "dev" | "test". Per language, repositories are taken in order of sha1(repository name)
    (hex, ascending); each goes to test while that keeps test ≤ 45% of the language's articles, until test
    holds ≥ 1/3 of them; every other repository is dev. A repository writing in both languages follows
    the language of most of its articles."""
    import collections
    langs: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for a in articles:
        langs[a.repo][a.lang] += 1
    repo_lang = {r: c.most_common(1)[0][0] for r, c in langs.items()}
    size = {r: sum(c.values()) for r, c in langs.items()}
    out: dict[str, str] = {}
    for lang in sorted(set(repo_lang.values())):
        repos = sorted((r for r in repo_lang if repo_lang[r] == lang),
                       key=lambda r: hashlib.sha1(r.encode()).hexdigest())
        total = sum(size[r] for r in repos)
        in_test = 0
        for r in repos:
            if in_test < TEST_MIN * total and in_test + size[r] <= TEST_MAX * total:
                out[r] = "test"
                in_test += size[r]
            else:
                out[r] = "dev"
    return dict(sorted(out.items()))


def read_splits(path: Path = SPLITS_FILE) -> dict[str, str]:
    import json
    if not Path(path).exists():
        return {}
    return json.loads(Path(path).read_text(encoding="utf-8")).get("articles", {})


def split_of(article: Article, splits: dict[str, str]) -> str:
    return splits.get(article.repo, "other")
