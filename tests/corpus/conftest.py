"""Corpus fixtures: analysis records of small invented articles (analysed once)."""

from __future__ import annotations

import pytest

from sourcetrace.ingest import article_from_text

ARTICLES = {
    "gazette": (
        "Harbour Gazette",
        "2025-05-01",
        "Officials in Port Vell said on Monday that the new bridge will open in June. "
        "An unnamed official told the Harbour Gazette that the bridge cost 40 million "
        "dollars, far more than planned.\n\nMayor Lena Osk said the city was proud.",
    ),
    "courier": (
        "Vell Courier",
        "2025-05-02",
        "Citing the Harbour Gazette, an unnamed official said the bridge cost 40 million "
        "dollars, well above the original plan.\n\nThe Port Vell Transit Authority "
        "(PVTA) said trains will not use the bridge.",
    ),
    "times": (
        "Coast Times",
        "2025-05-03",
        "The PVTA said on Wednesday that trains will not cross the new bridge.\n\n"
        "Mayor Osk said she was proud of the work.",
    ),
}


def make_records(pipeline, names=tuple(ARTICLES)):
    out = []
    for name in names:
        outlet, date, text = ARTICLES[name]
        art = article_from_text(text, f"{name}.txt")
        rec = pipeline.analyze(art).to_dict()
        rec["metadata"].update({"outlet": outlet, "published": date,
                                "url": f"https://{name}.example/bridge"})
        out.append(rec)
    return out


@pytest.fixture(scope="session")
def records(pipeline):
    return make_records(pipeline)
