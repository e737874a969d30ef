import io
import re

import pytest
from sample_analysis import TEXT, build_analysis, build_empty_analysis, build_hostile_analysis

from sourcetrace.reports.text import MARKS, PIPE_WIDTH, TextWriter, marked_text


def _render(*analyses, fp=None, width=None, **kw):
    fp = fp or io.StringIO()
    with TextWriter(fp, width=width, **kw) as writer:
        for analysis in analyses:
            writer.write(analysis)
    return fp.getvalue()


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch):
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


def test_text_view_summary_sources_and_actors():
    out = _render(build_analysis(), width=200)
    head = out.splitlines()[:6]
    assert any("7 attributions · 3 named · 3 anonymous/vague" in line for line in head)
    assert "deepest chain 2" in out
    assert "riverton.txt" in out and "Riverton Ledger" in out
    for name in ("the Riverton council", "Mara Lindqvist", "a harbour official", "residents"):
        assert name in out
    assert "via The Tidewater Gazette" in out
    assert "named_share" in out  # the profile table


def test_text_view_file_output_has_no_ansi():
    out = _render(build_analysis(), build_empty_analysis())
    assert "\x1b[" not in out
    assert "No attributions found." in out


def test_text_view_article_markup_shown_literally():
    out = _render(build_hostile_analysis(), plain=False)
    assert "[bold red]not markup[/bold red]" in out
    assert "[link=x]they[/link]" in out
    assert '<script>alert("pwned")</script>' in out
    marked = _render(build_hostile_analysis())
    assert '<script>[S: alert]("pwned")</script>' in marked


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_text_view_terminal_gets_colour():
    out = _render(build_analysis(), fp=_Tty())
    assert "\x1b[" in out
    assert "[S: " not in out and "<<" not in out  # colour, not marks


def _ansi_before(out: str, word: str) -> str:
    """The escape codes that style the first highlighted ``word``."""
    found = re.search(r"((?:\x1b\[[0-9;]*m)+)" + re.escape(word), out)
    assert found, word
    return found.group(1)


def test_text_view_terminal_styles_writer_and_source_labels_apart():
    out = _render(build_analysis(), fp=_Tty(), width=200)
    assert _ansi_before(out, "mob") != _ansi_before(out, "rotten")


def test_text_view_piped_marks_every_layer_in_plain_characters():
    out = _render(build_analysis(), width=300)
    assert "\x1b[" not in out
    assert "[S: the Riverton council] {C: said}" in out
    assert "<<The old ferry pier will close in March>>" in out
    assert "[U: The pier is a relic of a failed port scheme.]" in out
    assert "[L-writer: mob]" in out and "[L-source: rotten]" in out
    assert "[X: Home > Local > Harbour]" in out
    # t6 inside t5's content: inner marks close before the outer one.
    assert "<<[S: Lindqvist] {C: warned} that <<the pier could collapse>>>>." in out


def test_text_view_key_once_and_matching_the_marks():
    out = _render(build_analysis(), build_analysis("again.txt"), width=300)
    keys = [line for line in out.splitlines() if line.startswith("Key:")]
    assert len(keys) == 1
    for opening, closing in MARKS.values():
        assert re.search(re.escape(opening) + r"[^\]}>]+" + re.escape(closing), keys[0])
    colour = _render(build_analysis(), fp=_Tty(), width=300)
    assert "[S: " not in colour.split("Key:")[1].splitlines()[0]


def test_text_view_marked_text_drops_marks_back_to_the_text():
    for analysis in (build_analysis(), build_hostile_analysis(), build_empty_analysis()):
        marked = marked_text(analysis)
        for opening, closing in MARKS.values():
            marked = marked.replace(opening, "")
            if closing not in ("]", "}"):
                marked = marked.replace(closing, "")
        marked = re.sub(r"[\]}]", "", marked)
        assert marked == re.sub(r"[\]}]", "", analysis.article.text)
    assert marked_text(build_empty_analysis()) == build_empty_analysis().article.text


def test_text_view_sections_list_unattributed_and_labels_with_voice():
    out = _render(build_analysis(), width=200)
    after = out.split("Unattributed assertions", 1)[1]
    start = TEXT.index("The pier is a relic")
    assert f"chars {start}–{start + 44}" in after
    assert "The pier is a relic of a failed port scheme." in after
    labels = after.split("Labels", 1)[1]
    mob = next(line for line in labels.splitlines() if " mob " in line)
    rotten = next(line for line in labels.splitlines() if " rotten " in line)
    assert "writer's own words" in mob
    assert "source's words (t2: Mara Lindqvist)" in rotten and "Riverton council" in rotten


def test_text_view_shows_what_a_source_refers_to():
    out = _render(build_analysis(), width=200)
    assert "Lindqvist (person) → refers to: Mara Lindqvist" in out
    refs = out.split("What the sources refer to", 1)[1]
    assert re.search(r"Lindqvist \(chars \d+–\d+\)\s+→ Mara Lindqvist\s+source of t6", refs)


def _widest(out: str) -> int:
    return max(len(line.rstrip()) for line in out.splitlines())


def test_text_view_width_columns_else_100_when_piped(monkeypatch):
    assert _widest(_render(build_analysis())) <= PIPE_WIDTH
    assert _widest(_render(build_analysis())) > 60
    monkeypatch.setenv("COLUMNS", "60")
    assert _widest(_render(build_analysis())) <= 60
    monkeypatch.setenv("COLUMNS", "160")
    assert PIPE_WIDTH < _widest(_render(build_analysis())) <= 160
