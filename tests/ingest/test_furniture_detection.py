"""Plain-text furniture: found as ranges and lifted metadata, text never changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.ingest.furniture import find_furniture, parse_date, parse_dateline

DATA = Path(__file__).parent.parent / "data" / "ingest"

BODY = (
    "The Westhaven harbour bridge will close to all traffic for six weeks from 3 May, the "
    "city transport office said on Monday, after inspectors found corrosion on its cables.\n"
    "\n"
    '"We will not take risks with a structure this old," transport director Olu Baptiste '
    "told reporters, adding that extra ferries would run every twenty minutes.\n"
)


def _kinds(text: str) -> list[tuple[str, str]]:
    excluded, _ = find_furniture(text)
    return [(e.kind, text[e.start : e.end]) for e in excluded]


def test_furniture_fixture_article_all_kinds():
    text = (DATA / "harbour_bridge.txt").read_bytes().decode("utf-8")
    excluded, meta = find_furniture(text)
    kinds = [(e.kind, text[e.start : e.end]) for e in excluded]
    assert kinds == [
        ("breadcrumb", "Home » Regional » Harbour bridge to shut for six weeks of repairs"),
        ("title_repeat", "Harbour bridge to shut for six weeks of repairs"),
        ("dateline", "The Coastal Ledger – Mon, 12 Apr 2021"),
        ("url", "https://coastal-ledger.example/regional/harbour-bridge-repairs"),
        (
            "related",
            "Related posts\n\nFerry fares frozen for another year\n\n"
            "Council approves new cycle lane on Quay Street\n\nWHO OWNS THE OLD CANNERY?",
        ),
        ("comment", "Leave a Reply"),
    ]
    assert meta == {
        "title": "Harbour bridge to shut for six weeks of repairs",
        "published": "2021-04-12",
        "outlet": "The Coastal Ledger",
        "url": "https://coastal-ledger.example/regional/harbour-bridge-repairs",
    }
    # ranges are in text order and do not overlap
    assert all(a.end <= b.start for a, b in zip(excluded, excluded[1:], strict=False))


def test_furniture_prose_article_is_never_excluded():
    text = (DATA / "lakeside_prose.txt").read_bytes().decode("utf-8")
    excluded, meta = find_furniture(text)
    assert excluded == ()
    assert meta == {"title": "Lakeside council delays vote on water tariffs"}


@pytest.mark.parametrize(
    "line",
    [
        "Home » World » Floods close mountain passes",
        "Home > News > Floods close mountain passes",
        "Home / World / Floods close mountain passes",
        "You are here: Home › Politics",
        "News » Regional » Floods close mountain passes",
    ],
)
def test_furniture_breadcrumb_variants(line):
    text = f"{line}\n\nFloods close mountain passes\n\n{BODY}"
    kinds = _kinds(text)
    assert kinds[0] == ("breadcrumb", line)
    assert find_furniture(text)[1]["title"] == "Floods close mountain passes"


def test_furniture_breadcrumb_only_near_the_top():
    text = f"Bridge closes\n\n{BODY}\nHome » World » Floods\n\n{BODY}"
    assert ("breadcrumb", "Home » World » Floods") not in _kinds(text)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Related articles", "related"),
        ("You may also like", "related"),
        ("You might also like:", "related"),
        ("Read more", "related"),
        ("More from The Coastal Ledger", "related"),
        ("Leave a Comment", "comment"),
        ("Leave a Reply", "comment"),
        ("Share this:", "share"),
    ],
)
def test_furniture_tail_heading_takes_the_list_below(heading, kind):
    tail = "Ferry fares frozen for another year\n\nCouncil approves cycle lane on Quay Street\n"
    text = f"Bridge to close\n\n{BODY}\n{heading}\n\n{tail}"
    kinds = _kinds(text)
    assert kinds[-1][0] == kind
    assert kinds[-1][1].startswith(heading)
    assert kinds[-1][1].endswith("Council approves cycle lane on Quay Street")


def test_furniture_share_and_tags_blocks():
    text = (
        f"Bridge to close\n\n{BODY}\nShare this:\nFacebook\nX\nEmail\n\n"
        "Tags: Westhaven, transport, bridges\n"
    )
    assert _kinds(text) == [
        ("share", "Share this:\nFacebook\nX\nEmail"),
        ("tags", "Tags: Westhaven, transport, bridges"),
    ]


def test_furniture_comment_form_lines_after_heading():
    text = (
        f"Bridge to close\n\n{BODY}\nLeave a Reply\n"
        "Your email address will not be published. Required fields are marked *\n"
        "Comment *\nName *\nEmail *\nPost Comment\n"
    )
    kinds = _kinds(text)
    assert len(kinds) == 1
    assert kinds[0][0] == "comment"
    assert kinds[0][1].startswith("Leave a Reply") and kinds[0][1].endswith("Post Comment")


def test_furniture_heading_mid_text_excludes_only_itself():
    text = f"Bridge to close\n\n{BODY}\nAdvertisement\n\nRead more\n\n{BODY}"
    assert _kinds(text) == [("ad", "Advertisement"), ("related", "Read more")]


def test_furniture_short_last_lines_without_heading_are_kept():
    text = f"Bridge to close\n\n{BODY}\nThe vote is due in September.\nReporting by Ana Ruiz\n"
    assert _kinds(text) == []


def test_furniture_urls_in_related_list_are_not_lifted():
    text = (
        f"Bridge to close\n\n{BODY}\nRelated posts\nFerry fares frozen\n"
        "https://coastal-ledger.example/ferry-fares\n"
    )
    excluded, meta = find_furniture(text)
    assert [e.kind for e in excluded] == ["related"]
    assert "url" not in meta


def test_furniture_trailing_url_lines_lifted_first_wins():
    text = f"Bridge to close\n\n{BODY}\nhttps://ledger.example/a\nwww.ledger.example/b\n"
    excluded, meta = find_furniture(text)
    assert [e.kind for e in excluded] == ["url"]
    assert text[excluded[0].start : excluded[0].end] == (
        "https://ledger.example/a\nwww.ledger.example/b"
    )
    assert meta["url"] == "https://ledger.example/a"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PressWire – Tue, 20 Jan 2009", {"outlet": "PressWire", "published": "2009-01-20"}),
        ("Northwind Wire - 3 March 2015", {"outlet": "Northwind Wire", "published": "2015-03-03"}),
        (
            "The Daily Planet | Monday, June 5, 2017",
            {"outlet": "The Daily Planet", "published": "2017-06-05"},
        ),
        ("By Ana Ruiz | Jan. 7th, 2020", {"author": "Ana Ruiz", "published": "2020-01-07"}),
        ("Published on 2019-11-30", {"published": "2019-11-30"}),
        ("Sept 9, 2018 10:45 AM", {"published": "2018-09-09"}),
    ],
)
def test_furniture_parse_dateline(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Washington, June 5, 2017",  # a place, not an outlet
        "Markets - what happened on the day",
        "The minister said on 3 March 2015 that the plan would go ahead as announced.",
        "Bridge to close",
    ],
)
def test_furniture_not_a_dateline(line):
    assert parse_dateline(line) is None


def test_furniture_parse_date_rejects_nonsense():
    assert parse_date("31 February 2020") is None
    assert parse_date("sometime in May") is None


def test_furniture_dateline_at_top_and_byline_under_title():
    text = f"Bridge to close\nBy Mara Lindqvist and Tom Bell\n12 April 2021\n\n{BODY}"
    excluded, meta = find_furniture(text)
    assert [(e.kind, text[e.start : e.end]) for e in excluded] == [
        ("byline", "By Mara Lindqvist and Tom Bell"),
        ("dateline", "12 April 2021"),
    ]
    assert meta == {
        "title": "Bridge to close",
        "author": "Mara Lindqvist and Tom Bell",
        "published": "2021-04-12",
    }


def test_furniture_prose_starting_with_by_is_not_a_byline():
    text = f"Bridge to close\nBy Monday, the ferries will run every twenty minutes\n\n{BODY}"
    assert _kinds(text) == []


def test_furniture_top_dateline_before_title():
    text = f"Northwind Wire - 3 March 2015\n\nBridge to close\n\n{BODY}"
    excluded, meta = find_furniture(text)
    assert [e.kind for e in excluded] == ["dateline"]
    assert meta["title"] == "Bridge to close"
    assert meta["published"] == "2015-03-03"


@pytest.mark.parametrize(
    "first",
    [
        "The Westhaven harbour bridge will close for six weeks.",  # ends with a period
        " ".join(["word"] * 25),  # too long for a headline
    ],
)
def test_furniture_no_title_from_prose(first):
    _, meta = find_furniture(f"{first}\n\n{BODY}")
    assert "title" not in meta


def test_furniture_offsets_exact_with_crlf_and_bom():
    text = (
        "\ufeffHome » Regional » Bridge to close\r\n\r\nBridge to close\r\n"
        + BODY.replace("\n", "\r\n")
        + "The Coastal Ledger | 12 April 2021\r\n"
    )
    excluded, meta = find_furniture(text)
    assert [(e.kind, text[e.start : e.end]) for e in excluded] == [
        ("breadcrumb", "Home » Regional » Bridge to close"),
        ("dateline", "The Coastal Ledger | 12 April 2021"),
    ]
    assert excluded[0].start == 1  # after the BOM
    assert meta["title"] == "Bridge to close"


def test_furniture_empty_and_blank_text():
    assert find_furniture("") == ((), {})
    assert find_furniture("\n\n  \n") == ((), {})
