"""End-to-end behaviour of the pipeline on the project's own articles."""

from __future__ import annotations

from importlib import resources

import pytest

from sourcetrace.ingest import article_from_text


def _example(name: str) -> str:
    return resources.files("sourcetrace").joinpath(f"data/examples/{name}").read_text("utf-8")


@pytest.fixture(scope="module")
def relayed(pipeline):
    return pipeline.analyze(article_from_text(_example("01_relayed_report.txt"), "01.txt"))


@pytest.fixture(scope="module")
def wire(pipeline):
    return pipeline.analyze(article_from_text(_example("02_agency_wire.txt"), "02.txt"))


def _by_cue(analysis, cue: str):
    return [a for a in analysis.attributions if a.cue.text == cue]


def _actor(analysis, actor_id):
    return next(a for a in analysis.actors if a.id == actor_id)


def test_pipeline_offsets_index_the_text(relayed):
    text = relayed.article.text
    for a in relayed.attributions:
        for part in [a.cue, a.content, *([a.source.mention] if a.source else [])]:
            assert " ".join(text[s:e] for s, e in part.spans) == part.text


def test_pipeline_relay_chain_to_unnamed_source(relayed):
    (quoted,) = _by_cue(relayed, "quoted as saying")
    assert quoted.source.type == "anonymous"
    assert [r.mention.text for r in quoted.relayed_by] == ["the Meridian Policy Centre"]
    assert relayed.profile["deepest_chain"] >= 2


def test_pipeline_source_coreference_to_unnamed_source(relayed):
    noted = _by_cue(relayed, "noted")[0]
    assert noted.source.mention.text == "The source"
    assert noted.source.type == "anonymous"
    assert noted.source.antecedent.text == "an unnamed security source"


def test_pipeline_back_reference_keeps_the_relay(relayed):
    noted = _by_cue(relayed, "noted")[0]
    assert [r.mention.text for r in noted.relayed_by] == ["the Meridian Policy Centre"]


def test_pipeline_relay_follows_its_source_through_coreference(pipeline):
    text = (
        "Customs strike spreads\n\n"
        "The Harbour Gazette cited a senior customs officer as saying that inspections "
        "had stopped at three terminals. The officer added that exporters were losing "
        "money every day. Radio Kessa quoted Ilse Varn as saying the talks had failed. "
        "Varn told reporters on Monday that a deal was still possible."
    )
    result = pipeline.analyze(article_from_text(text, "customs.txt"))
    chains = {a.cue.text: [r.mention.text for r in a.relayed_by] for a in result.attributions}
    assert chains["added"] == ["The Harbour Gazette"]
    # A named source refers back to nothing: what Varn told reporters came first-hand.
    assert chains["told"] == []


def test_pipeline_statement_belongs_to_its_issuer(relayed):
    said = next(
        a for a in relayed.attributions if a.source and a.source.mention.text == "the statement"
    )
    assert said.source.type == "document"
    assert _actor(relayed, said.source.actor).name == "Meridian Policy Centre"


def test_pipeline_groups_defined_aliases(relayed):
    front = next(a for a in relayed.actors if "VLF" in a.aliases)
    assert {"Valdorian Liberation Front", "FLV", "Valdor Movement"} <= set(front.aliases)


def test_pipeline_writer_labels_and_furniture(relayed):
    writer = [lb for lb in relayed.labels if lb.voice == "writer"]
    assert {lb.label for lb in writer} >= {"extremist", "radical"}
    kinds = {e.kind for e in relayed.article.excluded}
    assert {"breadcrumb", "related", "comment"} <= kinds
    texts = [u.sentence.text for u in relayed.unattributed]
    assert any(t.startswith("The VLF was founded in 1987") for t in texts)


def test_pipeline_pronoun_it_refers_to_government(wire):
    believes = _by_cue(wire, "believes")[0]
    assert believes.source.type == "government"
    assert believes.source.antecedent.text == "The government"


def test_pipeline_surname_joins_full_name(wire):
    said = _by_cue(wire, "said")
    okonye = [a for a in said if a.source and a.source.mention.text == "Okonye"]
    assert okonye and _actor(wire, okonye[0].source.actor).name == "Tomas Okonye"
    vowed = _by_cue(wire, "vowed")[0]
    assert vowed.source.role == "Prime Minister"
    assert vowed.source.actor == okonye[0].source.actor


def test_pipeline_anonymous_officials_and_metadata(wire):
    anon = [a for a in wire.attributions if a.source and a.source.type == "anonymous"]
    assert any(a.source.mention.text.startswith("Officials who asked") for a in anon)
    assert wire.article.metadata["outlet"] == "Harbour Daily"
    assert wire.article.metadata["published"] == "2024-03-04"


def test_pipeline_label_inside_quote_is_attributed(wire):
    voices = {(lb.label, lb.voice) for lb in wire.labels}
    assert ("terrorist", "writer") in voices
    assert any(v == "attributed" for _, v in voices)


def test_pipeline_unseen_article(pipeline):
    text = (
        "Ferry fares to rise in June\n\n"
        "The Northern Ferry Company will raise fares by 8 percent in June. "
        "\"Fuel costs have doubled,\" said Marta Quell, the company's finance director. "
        "An unnamed port official told the Coastal Courier that two routes could close. "
        "Quell declined to comment on the routes."
    )
    result = pipeline.analyze(article_from_text(text, "ferry.txt"))
    by_source = {a.source.mention.text: a for a in result.attributions if a.source}
    assert by_source["Marta Quell, the company's finance director"].kind == "direct"
    assert by_source["Marta Quell, the company's finance director"].source.type == "person"
    official = by_source["An unnamed port official"]
    assert official.source.type == "anonymous"
    assert [r.mention.text for r in official.relayed_by] == ["the Coastal Courier"]
    assert any(u.sentence.text.startswith("The Northern Ferry Company will raise")
               for u in result.unattributed)
    assert result.profile["anonymous_or_vague_share"] > 0


def test_pipeline_encoder_adds_cues_the_rules_miss(pipeline):
    from sourcetrace.pipeline import Pipeline

    if pipeline.encoder is None:
        pytest.skip("no trained attribution encoder in this build")
    text = "Residents expressed frustration with the new parking rules."
    article = article_from_text(text, "parking.txt")
    full = pipeline.analyze(article)
    fast = Pipeline(fast=True).analyze(article)
    assert fast.attributions == ()
    (found,) = full.attributions
    assert found.source.mention.text == "Residents"
    assert found.cue.text.startswith("expressed")
    assert found.content.text.endswith("with the new parking rules")


def test_pipeline_the_group_refers_to_last_organisation_not_a_people(pipeline):
    text = (
        "The Ostland Farmers Union said grain prices were too low. "
        "Greek and Turkish traders disagreed. "
        "The union said it would strike on Monday."
    )
    result = pipeline.analyze(article_from_text(text, "union.txt"))
    said = [a for a in result.attributions if a.source and a.source.mention.text == "The union"]
    assert said, [a.source and a.source.mention.text for a in result.attributions]
    assert _actor(result, said[0].source.actor).name == "Ostland Farmers Union"


def _triples(analysis):
    return [
        (a.source.mention.text if a.source else None, a.cue.text, a.content.text,
         [r.mention.text for r in a.relayed_by])
        for a in analysis.attributions
    ]


def test_model_path_keeps_speech_nested_in_a_reported_sentence(pipeline):
    # The encoder learned univocal PolNeAR (it never tags a cue inside a content); the
    # inner speaker must survive, relayed by the outer reporter.
    text = ("Transport Minister Ilse Marren said the tunnel will open in March, "
            "the Dunmore Post reported.\n")
    got = _triples(pipeline.analyze(article_from_text(text, "n.txt")))
    assert ("Transport Minister Ilse Marren", "said", "the tunnel will open in March",
            ["the Dunmore Post"]) in got


def test_model_path_keeps_an_unnamed_source_inside_a_statement(pipeline):
    text = ("The Norhaven Institute said an unnamed customs officer had told it that "
            "the shipments were forged.\n")
    got = _triples(pipeline.analyze(article_from_text(text, "u.txt")))
    inner = [t for t in got if t[0] == "an unnamed customs officer"]
    assert inner and inner[0][3] == ["The Norhaven Institute"]
    assert inner[0][2].endswith("the shipments were forged")


def test_speaker_missed_by_the_ner_is_still_an_actor(pipeline):
    text = "Arvid Tenholm, a ferry captain from Dunmore, said the crossing was unsafe.\n"
    an = pipeline.analyze(article_from_text(text, "c.txt"))
    names = {a.name for a in an.actors}
    assert "Arvid Tenholm" in names
    att = an.attributions[0]
    assert att.source is not None and att.source.actor is not None
    assert next(a for a in an.actors if a.id == att.source.actor).name == "Arvid Tenholm"


def test_pipeline_a_deed_sought_is_the_writers_assertion(pipeline):
    text = (
        "Port dispute drags on\n\n"
        "The harbour authority has been seeking the removal of the old cranes, "
        "as it believes they are unsafe. The dock workers' union has ordered its "
        "members to stop overtime."
    )
    result = pipeline.analyze(article_from_text(text, "port.txt"))
    cues = {a.cue.text for a in result.attributions}
    assert "believes" in cues
    assert not cues & {"has been seeking", "seeking", "has ordered", "ordered"}
