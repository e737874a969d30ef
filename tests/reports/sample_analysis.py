"""Hand-built Analysis objects for the report tests (an invented article)."""

from __future__ import annotations

from sourcetrace.model.article import Article, Excluded
from sourcetrace.model.record import Actor, Analysis, Assertion, Attribution, Label, Source
from sourcetrace.model.spans import TextSpan

TEXT = (
    "Home > Local > Harbour\n"
    "Riverton council votes to close the old ferry pier\n"
    "The old ferry pier will close in March, the Riverton council said on Tuesday.\n"
    '"The timbers are rotten," said Mara Lindqvist, the council\'s chief engineer.\n'
    "The Tidewater Gazette quoted a harbour official as saying that repairs would cost "
    "more than a new pier.\n"
    "According to residents, the pier has been unsafe for years.\n"
    "Residents said Lindqvist warned that the pier could collapse.\n"
    "The vote is expected to be challenged.\n"
    "The pier is a relic of a failed port scheme.\n"
    "Protesters from the heritage mob gathered outside — in the rain.\n"
)


def span(needle: str, nth: int = 0, text: str = TEXT) -> TextSpan:
    """TextSpan of the nth occurrence of needle in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return TextSpan.from_offsets(text, [(start, start + len(needle))])


def source(needle: str, type_: str, nth: int = 0, **kw) -> Source:
    return Source(mention=span(needle, nth), type=type_, **kw)


def build_analysis(path: str = "riverton.txt") -> Analysis:
    """Seven attributions: direct, indirect, relayed, vague, no-source, nested."""
    crumb = span("Home > Local > Harbour")
    article = Article(
        id="riverton0001",
        path=path,
        text=TEXT,
        metadata={
            "title": "Riverton council votes to close the old ferry pier",
            "outlet": "Riverton Ledger",
            "published": "2024-03-05",
        },
        excluded=(Excluded(crumb.start, crumb.end, "breadcrumb"),),
    )
    quoted_start = TEXT.index("quoted")
    saying_start = TEXT.index("as saying")
    relay_cue = TextSpan.from_offsets(
        TEXT, [(quoted_start, quoted_start + 6), (saying_start, saying_start + 9)]
    )
    gazette = source("The Tidewater Gazette", "news_outlet", actor="a3")
    residents_2 = source("Residents", "vague")
    attributions = (
        Attribution(
            id="t1",
            source=source("the Riverton council", "government", actor="a1"),
            cue=span("said"),
            content=span("The old ferry pier will close in March"),
            kind="indirect",
            confidence=0.9,
        ),
        Attribution(
            id="t2",
            source=source("Mara Lindqvist", "person", actor="a2", role="chief engineer"),
            cue=span("said", 1),
            content=span("The timbers are rotten,"),
            kind="direct",
            confidence=0.95,
        ),
        Attribution(
            id="t3",
            source=source("a harbour official", "anonymous"),
            cue=relay_cue,
            content=span("repairs would cost more than a new pier"),
            kind="indirect",
            relayed_by=(gazette,),
            confidence=0.7,
        ),
        Attribution(
            id="t4",
            source=source("residents", "vague"),
            cue=span("According to"),
            content=span("the pier has been unsafe for years"),
            kind="according_to",
            confidence=0.8,
        ),
        Attribution(
            id="t5",
            source=residents_2,
            cue=span("said", 2),
            content=span("Lindqvist warned that the pier could collapse"),
            kind="indirect",
            confidence=0.75,
        ),
        Attribution(
            # Nested inside t5's content, and relayed by t5's source.
            id="t6",
            source=Source(
                mention=span("Lindqvist", 1),
                type="person",
                actor="a2",
                antecedent=span("Mara Lindqvist"),
            ),
            cue=span("warned"),
            content=span("the pier could collapse"),
            kind="indirect",
            relayed_by=(residents_2,),
            confidence=0.6,
        ),
        Attribution(
            id="t7",
            source=None,
            cue=span("is expected to"),
            content=span("be challenged"),
            kind="no_source",
            confidence=0.5,
        ),
    )
    actors = (
        Actor(
            "a1",
            "Riverton council",
            "government",
            ("the Riverton council",),
            (span("the Riverton council"),),
        ),
        Actor(
            "a2",
            "Mara Lindqvist",
            "person",
            ("Mara Lindqvist", "Lindqvist"),
            (span("Mara Lindqvist"), span("Lindqvist", 1)),
        ),
        Actor(
            "a3",
            "The Tidewater Gazette",
            "news_outlet",
            ("The Tidewater Gazette",),
            (span("The Tidewater Gazette"),),
        ),
    )
    unattributed = (
        Assertion(span("The pier is a relic of a failed port scheme."), "factual claim"),
    )
    labels = (
        Label(span("mob"), "mob", None, "writer"),
        # Inside t2's quotation: the source's words (a made-up label, for the views).
        Label(span("rotten"), "rotten", "a1", "attributed", "t2"),
    )
    profile = {
        "attributions": 7,
        "by_type": {"person": 2, "government": 1, "anonymous": 1, "vague": 2, "article": 1},
        "named_share": 3 / 7,
    }
    return Analysis(article, attributions, actors, unattributed, labels, profile)


def build_hostile_analysis(path: str = "hostile.txt") -> Analysis:
    """Article text full of HTML and Rich markup, with a source inside the script tag."""
    text = (
        '<script>alert("pwned")</script> said Eve <b>Hacker</b> & friends.\n'
        "[bold red]not markup[/bold red] is what [link=x]they[/link] wrote.\n"
    )
    src = span("alert", text=text)
    return Analysis(
        article=Article(
            id="hostile01",
            path=path,
            text=text,
            metadata={"title": "<img src=x onerror=alert(1)> [b]title[/b]"},
        ),
        attributions=(
            Attribution(
                id="t1",
                source=Source(mention=src, type="person"),
                cue=span("said", text=text),
                content=span("Eve <b>Hacker</b> & friends", text=text),
                kind="indirect",
            ),
        ),
        actors=(Actor("a1", "<i>Eve</i>", "person", ("<i>Eve</i>",), ()),),
        profile={"<note>": "[red]x[/red] & <y>"},
    )


def build_empty_analysis(path: str = "quiet.txt") -> Analysis:
    text = "Nothing was said today. Nobody spoke.\n"
    return Analysis(article=Article(id="quiet01", path=path, text=text))
