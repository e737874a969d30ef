"""Independent origins and circular flags on hand-made analysis records."""

from __future__ import annotations

from sourcetrace.corpus import query
from sourcetrace.corpus.build import build
from sourcetrace.corpus.db import connect
from sourcetrace.corpus.embed import HashingEmbedder

CLAIM = "the northern railway will close for repairs in April"


def _src(text, whole, type_, actor=None):
    s = whole.index(text)
    return {"text": text, "spans": [[s, s + len(text)]], "type": type_, "actor": actor,
            "role": None, "antecedent": None}


def record(rid, outlet, date, text, source=None, relays=(), actors=()):
    """One analysis record whose single attribution says CLAIM."""
    s = text.index(CLAIM)
    att = {
        "id": "t1",
        "source": _src(source[0], text, source[1], source[2] if len(source) > 2 else None)
        if source else None,
        "cue": {"text": "said", "spans": [[0, 0]]},
        "content": {"text": CLAIM, "spans": [[s, s + len(CLAIM)]]},
        "kind": "indirect" if source else "no_source",
        "relayed_by": [_src(r[0], text, r[1], r[2] if len(r) > 2 else None) for r in relays],
        "chain_depth": 1 + len(relays),
        "confidence": 0.8,
    }
    acts = []
    for i, (name, type_) in enumerate(actors, 1):
        p = text.index(name)
        acts.append({"id": f"a{i}", "name": name, "type": type_, "aliases": [name],
                     "mentions": [{"text": name, "spans": [[p, p + len(name)]]}]})
    return {"schema_version": "1.0.0", "id": rid, "path": f"{rid}.txt", "text": text,
            "metadata": {"outlet": outlet, "published": date}, "excluded": [],
            "attributions": [att], "actors": acts, "unattributed": [], "labels": [],
            "profile": {}}


def _cluster(tmp_path, records):
    db = str(tmp_path / "c.duckdb")
    build(db, records=records, embedder=HashingEmbedder())
    con = connect(db)
    rows = query.claims(con, min_articles=2)
    assert len(rows) == 1, rows
    return con, query.claim(con, rows[0]["id"])


def test_anonymous_source_relayed_by_three_outlets_is_one_origin(tmp_path):
    recs = [
        record("a", "Harbour Gazette", "2025-03-01",
               f"An unnamed official told the Harbour Gazette that {CLAIM}.",
               ("An unnamed official", "anonymous"), [("the Harbour Gazette", "news_outlet",
                                                       "a1")], [("Harbour Gazette",
                                                                 "news_outlet")]),
        record("b", "Vell Courier", "2025-03-02",
               f"Citing the Harbour Gazette, an official said that {CLAIM}.",
               ("an official", "anonymous"), [("the Harbour Gazette", "news_outlet", "a1")],
               [("Harbour Gazette", "news_outlet")]),
        record("c", "Coast Times", "2025-03-03",
               f"The Gazette quoted an official as saying that {CLAIM}.",
               ("an official", "anonymous"), [("The Gazette", "news_outlet", "a1")],
               [("Gazette", "news_outlet")]),
    ]
    _con, k = _cluster(tmp_path, recs)
    assert k["n_articles"] == 3 and k["n_outlets"] == 3
    assert k["independent_origins"] == 1
    assert k["circular"] and "one origin" in k["circular_reason"]
    assert [t["outlet"] for t in k["timeline"]] == ["Harbour Gazette", "Vell Courier",
                                                    "Coast Times"]
    # the tree goes from each later article into the Gazette's article
    later = [t for t in k["tree"] if t["node"].endswith("b:t1")][0]
    assert later["children"][0]["node"].endswith("a:t1")


def test_independent_named_sources_count_twice(tmp_path):
    recs = [
        record("a", "Harbour Gazette", "2025-03-01", f"Minister Elena Soro said {CLAIM}.",
               ("Minister Elena Soro", "person", "a1"), (), [("Elena Soro", "person")]),
        record("b", "Vell Courier", "2025-03-02", f"Engineer Olaf Brandt said {CLAIM}.",
               ("Engineer Olaf Brandt", "person", "a1"), (), [("Olaf Brandt", "person")]),
    ]
    _con, k = _cluster(tmp_path, recs)
    assert k["independent_origins"] == 2 and not k["circular"]
    assert sorted(o["label"] for o in k["origins"]) == ["Elena Soro", "Olaf Brandt"]


def test_outlets_citing_each_other_are_circular(tmp_path):
    recs = [
        record("a", "Meridian Post", "2025-05-02",
               f"The Eastvale Herald reported that {CLAIM}.",
               ("The Eastvale Herald", "news_outlet", "a1"), (),
               [("Eastvale Herald", "news_outlet")]),
        record("b", "Eastvale Herald", "2025-05-02",
               f"According to the Meridian Post, {CLAIM}.",
               ("the Meridian Post", "news_outlet", "a1"), (),
               [("Meridian Post", "news_outlet")]),
    ]
    _con, k = _cluster(tmp_path, recs)
    assert k["independent_origins"] == 1
    assert k["circular"] and "cite each other" in k["circular_reason"]


def test_media_reports_point_to_the_earlier_article(tmp_path):
    recs = [
        record("a", "Harbour Gazette", "2025-03-10", f"Minister Elena Soro said {CLAIM}.",
               ("Minister Elena Soro", "person", "a1"), (), [("Elena Soro", "person")]),
        record("b", "Coast Times", "2025-03-12", f"Media reports said that {CLAIM}.",
               ("Media reports", "vague")),
    ]
    _con, k = _cluster(tmp_path, recs)
    assert k["independent_origins"] == 1
    kinds = {e["kind"] for e in k["edges"]}
    assert "earlier_report" in kinds


def test_unsourced_claim_with_nothing_earlier_is_its_outlets_own(tmp_path):
    recs = [
        record("b", "Coast Times", "2025-03-12",
               f"Commuters face months of delays. Media reports said that {CLAIM}.",
               ("Media reports", "vague")),
        record("c", "Vell Courier", "2025-03-14",
               f"Earlier reports said that {CLAIM}. Buses will replace the trains.",
               ("Earlier reports", "vague")),
    ]
    _con, k = _cluster(tmp_path, recs)
    # the second one points back to the first; the first is its outlet's own
    assert k["independent_origins"] == 1
    assert "Coast Times" in k["origins"][0]["label"]


def test_an_outlet_naming_itself_is_its_own_reporting_not_a_loop(tmp_path):
    # Two Gazette articles with the Gazette's unnamed source, and a named source
    # elsewhere: two origins, and nothing circular.
    recs = [
        record("a1", "Harbour Gazette", "2025-03-01",
               f"An unnamed official told the Harbour Gazette that {CLAIM}.",
               ("An unnamed official", "anonymous"),
               [("the Harbour Gazette", "news_outlet", "a1")],
               [("Harbour Gazette", "news_outlet")]),
        record("a2", "Harbour Gazette", "2025-03-04",
               f"Once more, an unnamed official told the Harbour Gazette that {CLAIM}.",
               ("an unnamed official", "anonymous"),
               [("the Harbour Gazette", "news_outlet", "a1")],
               [("Harbour Gazette", "news_outlet")]),
        record("b", "Vell Courier", "2025-03-05", f"Engineer Olaf Brandt said {CLAIM}.",
               ("Engineer Olaf Brandt", "person", "a1"), (), [("Olaf Brandt", "person")]),
    ]
    _con, k = _cluster(tmp_path, recs)
    assert k["independent_origins"] == 2
    assert not k["circular"]
