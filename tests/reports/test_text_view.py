import io

from sample_analysis import build_analysis, build_empty_analysis, build_hostile_analysis

from sourcetrace.reports.text import TextWriter


def _render(*analyses, fp=None, width=None):
    fp = fp or io.StringIO()
    with TextWriter(fp, width=width) as writer:
        for analysis in analyses:
            writer.write(analysis)
    return fp.getvalue()


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
    out = _render(build_hostile_analysis())
    assert "[bold red]not markup[/bold red]" in out
    assert "[link=x]they[/link]" in out
    assert '<script>alert("pwned")</script>' in out


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_text_view_terminal_gets_colour():
    out = _render(build_analysis(), fp=_Tty())
    assert "\x1b[" in out
