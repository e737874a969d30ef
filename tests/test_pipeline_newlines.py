"""The analysis does not depend on the newline convention (issue 22): a CRLF or CR copy
of an article gives the LF analysis, with offsets into the text as given."""

from __future__ import annotations

import pytest

from sourcetrace.ingest import article_from_text

# Written for this test: a one-word headline cue, a relay, paragraphs with no full stop.
ARTICLE = (
    "Audit\n"
    "Harbour board hid dredging costs, auditors find\n"
    "\n"
    "The Port Authority spent twice its dredging budget, according to an audit "
    "released on Monday\n"
    "\n"
    "\"The accounts were kept in two places,\" said Marta Ilves, the chief auditor.\n"
    "The report said the board approved the contracts without a tender.\n"
    "A source close to the board told the Harbour Gazette that the costs were known.\n"
)


def _as_lf(value):
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _comparable(record: dict, text: str) -> dict:
    """The record with every span replaced by the text it covers, read as LF."""

    def walk(value):
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items() if k not in ("id", "text", "path")}
            if "spans" in value:
                out["spans"] = [_as_lf(text[s:e]) for s, e in value["spans"]]
                out["text"] = _as_lf(value.get("text"))
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return _as_lf(value)

    return {k: walk(record[k]) for k in ("attributions", "actors", "unattributed", "labels",
                                          "profile")}


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_give_the_lf_analysis(pipeline, newline):
    lf = pipeline.analyze(article_from_text(ARTICLE, "lf.txt")).to_dict()
    other_text = ARTICLE.replace("\n", newline)
    other = pipeline.analyze(article_from_text(other_text, "other.txt")).to_dict()
    assert other["text"] == other_text  # the text as given, offsets into it
    assert lf["attributions"], "the article should give attributions"
    assert _comparable(other, other_text) == _comparable(lf, ARTICLE)
    # Offsets index the CRLF text: a source's text is what its span covers.
    for att in other["attributions"]:
        if att["source"]:
            s, e = att["source"]["spans"][0]
            assert other_text[s:e].split() == att["source"]["text"].split()[: len(
                other_text[s:e].split())]


def test_seed_000_with_crlf_gives_the_lf_profile(pipeline, shared_dir):
    seeds = sorted((shared_dir / "seeds").glob("000_*.txt"))
    if not seeds:
        pytest.skip("seed 000 not in ../shared/seeds")
    text = seeds[0].read_text(encoding="utf-8").replace("\r\n", "\n")
    lf = pipeline.analyze(article_from_text(text, "lf.txt")).to_dict()
    crlf_text = text.replace("\n", "\r\n")
    crlf = pipeline.analyze(article_from_text(crlf_text, "crlf.txt")).to_dict()
    assert crlf["profile"] == lf["profile"]
    assert [a["source"] and a["source"]["type"] for a in crlf["attributions"]] == [
        a["source"] and a["source"]["type"] for a in lf["attributions"]]
