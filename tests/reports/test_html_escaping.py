import html
import io
import re

from sample_analysis import TEXT, build_analysis, build_hostile_analysis

from sourcetrace.reports.html import HtmlWriter, highlight


def _page(*analyses):
    buf = io.StringIO()
    with HtmlWriter(buf) as writer:
        for analysis in analyses:
            writer.write(analysis)
    return buf.getvalue()


def _visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_html_escaping_script_in_article_text():
    page = _page(build_hostile_analysis())
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Eve &lt;b&gt;Hacker&lt;/b&gt; &amp; friends" in page


def test_html_escaping_highlight_gives_back_the_text():
    for analysis in (build_analysis(), build_hostile_analysis()):
        assert _visible(highlight(analysis)) == analysis.article.text


def test_html_escaping_nested_layers_marked():
    marked = highlight(build_analysis())
    # t6's source sits inside t5's content; the breadcrumb is furniture.
    assert re.search(r'<span class="content source"[^>]*>Lindqvist</span>', marked)
    assert re.search(r'<span class="excluded"[^>]*>Home &gt; Local &gt; Harbour</span>', marked)
    assert re.search(r'<span class="unattributed"[^>]*>The pier is a relic', marked)
    assert re.search(r'<span class="label label-writer"[^>]*>mob</span>', marked)
    assert re.search(r'<span class="content label label-attributed"[^>]*>rotten</span>', marked)
    assert re.search(r'<span class="cue"[^>]*>quoted</span>', marked)


def test_html_escaping_page_is_self_contained():
    page = _page(build_analysis(), build_hostile_analysis())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "<link" not in page
    assert page.count("<article") == 2
    assert "7 attributions · 3 named · 3 anonymous/vague" in page
    assert "Mara Lindqvist" in page and "a harbour official (anonymous) via The Tidewater" in page
    assert TEXT.splitlines()[1] in page  # the title
