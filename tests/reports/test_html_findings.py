"""The HTML report lists what the highlighted text only hints at: unattributed
assertions, labels with whose words they are, and what a source mention refers to, all
as visible text (not ``title`` hover text)."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from sample_analysis import TEXT, build_analysis, build_hostile_analysis

from sourcetrace.reports.html import HtmlWriter

SEED_GLOB = "*.txt"


def _page(*analyses) -> str:
    buf = io.StringIO()
    with HtmlWriter(buf) as writer:
        for analysis in analyses:
            writer.write(analysis)
    return buf.getvalue()


def _norm(s: str) -> str:
    return " ".join(s.split())


class _Visible(HTMLParser):
    """Visible text per <article>: the text of each <li> of the unattributed list,
    the cells of each row of the labels and references tables, and every id and
    in-page link (attributes are never visible, so ``title`` text is not read)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.articles: list[dict] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self._stack: list[tuple[str, str]] = []  # (tag, class)
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._item: list[str] | None = None
        self._skip = 0

    def _inside(self, cls: str) -> bool:
        return any(cls in c.split() for _t, c in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag in ("style", "title", "script"):
            self._skip += 1
        self._stack.append((tag, a.get("class") or ""))
        if tag == "article":
            self.articles.append({"unattributed": [], "labels": [], "references": []})
        elif tag == "li" and self._inside("unattributed-list"):
            self._item = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        while self._stack:
            t, _c = self._stack.pop()
            if t == tag:
                break
        if tag in ("style", "title", "script"):
            self._skip -= 1
        if tag == "li" and self._item is not None:
            self.articles[-1]["unattributed"].append(_norm("".join(self._item)))
            self._item = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_norm("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            for table in ("labels", "references"):
                if self._inside(table) and self._row and self.articles:
                    self.articles[-1][table].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        for part in (self._item, self._cell):
            if part is not None:
                part.append(data)


def _read(page: str) -> _Visible:
    parser = _Visible()
    parser.feed(page)
    return parser


def _label_rows(found: dict) -> list[list[str]]:
    return [row for row in found["labels"] if row[0] != "label"]  # without the header


def test_html_unattributed_list_with_offsets_and_anchor():
    page = _read(_page(build_analysis()))
    (item,) = page.articles[0]["unattributed"]
    start = TEXT.index("The pier is a relic")
    assert item.startswith("The pier is a relic of a failed port scheme.")
    assert f"chars {start}–{start + 44}" in item and "factual claim" in item
    assert "article-1-u1" in page.links and "article-1-u1" in page.ids


def test_html_labels_table_says_whose_words_visibly():
    page = _read(_page(build_analysis()))
    rows = {row[1]: row for row in _label_rows(page.articles[0])}
    assert rows["mob"][0] == "mob" and rows["mob"][3] == "writer's own words"
    assert rows["rotten"][2] == "Riverton council"
    assert rows["rotten"][3] == "source's words (t2: Mara Lindqvist)"
    assert all(f"article-1-l{i}" in page.ids for i in (1, 2))


def test_html_references_and_attribution_table_show_what_a_source_refers_to():
    html = _page(build_analysis())
    refs = _read(html).articles[0]["references"]
    body = [row for row in refs if row[0] != "mention"]
    lindqvist = next(row for row in body if row[0].startswith("Lindqvist"))
    start = TEXT.index("Mara Lindqvist")
    assert lindqvist[1] == f"→ refers to: Mara Lindqvist chars {start}–{start + 14}"
    assert lindqvist[2] == "source of t6"
    assert "Lindqvist (person) → refers to: Mara Lindqvist via Residents" in html


def test_html_findings_escaped():
    page = _page(build_hostile_analysis())
    assert "<script" not in page and "<b>" not in page


def _seed_analyses(shared_dir, pipeline):
    from sourcetrace.ingest import iter_articles
    from sourcetrace.model.errors import BadInputError

    seeds = shared_dir / "seeds"
    paths = sorted(str(p) for p in seeds.glob(SEED_GLOB)) if seeds.is_dir() else []
    if not paths:
        pytest.skip(f"no seed articles at {seeds}")
    articles = [a for a in iter_articles(paths) if not isinstance(a, BadInputError)]
    assert len(articles) == len(paths)
    return [pipeline.analyze(a) for a in articles]


@pytest.mark.seeds
def test_html_seeds_report_shows_every_unattributed_sentence_and_label(shared_dir, pipeline):
    analyses = _seed_analyses(shared_dir, pipeline)
    page = _read(_page(*analyses))
    assert len(page.articles) == len(analyses)
    checked = 0
    for analysis, found in zip(analyses, page.articles, strict=True):
        record = analysis.to_dict()  # the analysis record, as the JSONL holds it
        items = found["unattributed"]
        assert len(items) == len(record["unattributed"])
        for item, asr in zip(items, record["unattributed"], strict=True):
            assert item.startswith(_norm(asr["text"]))
            assert f"chars {asr['spans'][0][0]}–{asr['spans'][-1][1]}" in item
            checked += 1
        rows = _label_rows(found)
        assert len(rows) == len(record["labels"])
        for row, label in zip(rows, record["labels"], strict=True):
            assert row[0] == label["label"] and row[1] == _norm(label["text"])
            voice = "writer's own words" if label["voice"] == "writer" else "source's words"
            assert row[3].startswith(voice)
            checked += 1
    assert checked  # the seeds hold findings to check
