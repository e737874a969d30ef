"""The analyse form posts CRLF: the web analysis equals the LF one, offsets into the
text as posted (issue 22)."""

from __future__ import annotations

# Written for this test; the CR copy is what changed the analysis before the fix.
TEXT = (
    "Audit\n"
    "Harbour board hid dredging costs, auditors find\n"
    "\n"
    "The Port Authority spent twice its dredging budget, according to an audit "
    "released on Monday\n"
    "\n"
    "\"The accounts were kept in two places,\" said Marta Ilves, the chief auditor.\n"
)


def _sources(record):
    return [(a["source"] or {}).get("type") for a in record["attributions"]]


def test_crlf_text_from_the_form_gives_the_lf_analysis(client):
    lf = client.post("/api/analyze", json={"text": TEXT}).json()
    crlf_text = TEXT.replace("\n", "\r\n")
    crlf = client.post("/api/analyze", json={"text": crlf_text}).json()
    assert crlf["text"] == crlf_text
    assert _sources(crlf) == _sources(lf) and crlf["profile"] == lf["profile"]
    for att in crlf["attributions"]:
        for s, e in att["content"]["spans"]:
            assert crlf_text[s:e].replace("\r\n", "\n") in TEXT
