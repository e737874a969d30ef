"""Cost bounds on one article: sentences the parser sees and quotations paired are capped
at named limits, offsets stay into the original text, and each cap is one warning line.
Timings and peak memory are in ``benchmarks/hostile_inputs.py``."""

from __future__ import annotations

import logging

from sourcetrace.attributions.quotes import MAX_QUOTES, find_quotes
from sourcetrace.ingest import article_from_text
from sourcetrace.nlp import MAX_SENTENCE_TOKENS, SENTENCE_CUTS

WORDS = ["harbour", "ferry", "council", "tide", "bridge", "pier", "crane", "dock", "rope",
         "gull"]


def _run_on(n_words: int) -> str:
    return " ".join(WORDS[(i * 7) % len(WORDS)] for i in range(n_words))


def test_quotes_past_the_bound_are_counted_not_paired():
    text = " ".join(f'"{WORDS[i % len(WORDS)]}"' for i in range(MAX_QUOTES + 250))
    quotes = find_quotes(text)
    assert len(quotes) == MAX_QUOTES and quotes.dropped == 250
    assert all(text[q.start] == '"' and text[q.end - 1] == '"' for q in quotes)
    assert find_quotes('He said "yes" twice.').dropped == 0


def test_a_run_on_sentence_is_cut_for_the_parser_with_offsets_kept(pipeline):
    text = "The council said " + _run_on(3 * MAX_SENTENCE_TOKENS) + " today."
    doc = pipeline.nlp(text)
    assert doc.text == text
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS + 1
    assert doc.user_data[SENTENCE_CUTS] >= 2
    normal = pipeline.nlp("The ferry runs at noon. The pier is closed, the council said.")
    assert SENTENCE_CUTS not in normal.user_data


def test_each_bound_hit_is_one_warning_naming_the_article(pipeline, caplog):
    quotes = " ".join(f'"{WORDS[i % len(WORDS)]}," he said.' for i in range(MAX_QUOTES + 5))
    text = "The council said " + _run_on(2 * MAX_SENTENCE_TOKENS) + ".\n\n" + quotes
    art = article_from_text(text, "hostile.txt")
    with caplog.at_level(logging.WARNING, logger="sourcetrace"):
        analysis = pipeline.analyze(art)
    lines = [r.getMessage() for r in caplog.records if r.name == "sourcetrace.pipeline"]
    assert len(lines) == 2 and all(line.startswith("hostile.txt: ") for line in lines)
    assert f"ran past {MAX_SENTENCE_TOKENS} tokens" in lines[0]
    assert f"more than {MAX_QUOTES} quotations" in lines[1]
    for att in analysis.attributions:
        for s, e in att.content.spans:
            assert 0 <= s <= e <= len(text)


def test_a_long_text_is_parsed_in_pieces_with_its_text_and_offsets(pipeline, monkeypatch):
    import sourcetrace.nlp as nlp_mod

    monkeypatch.setattr(nlp_mod, "MAX_PARSE_CHARS", 2000)
    sentence = "The harbour council said on Monday that the ferry would run in June. "
    long_text = sentence * 60 + "\n\n" + sentence * 40
    short = "Mayor Lena Osk said the pier is closed."
    items = [(short, "a"), (long_text, "b"), (short, "c")]
    out = list(nlp_mod.pipe_bounded(pipeline.nlp, items, batch_size=8))
    assert [ctx for _doc, ctx in out] == ["a", "b", "c"]
    doc = out[1][0]
    assert doc.text == long_text and doc.user_data[nlp_mod.PARSE_PIECES] >= 4
    assert all(long_text[t.idx : t.idx + len(t)] == t.text for t in doc)
    whole = pipeline.nlp(short)
    assert [t.tag_ for t in out[0][0]] == [t.tag_ for t in whole]
    assert [t.dep_ for t in out[2][0]] == [t.dep_ for t in whole]
    assert all(len(p) <= 2000 for p in nlp_mod.split_for_parse(long_text))


def test_a_long_run_without_spaces_is_cut_for_the_tokenizer(pipeline):
    from sourcetrace.nlp import MAX_RUN_CHARS, PARSE_PIECES, pipe_bounded, split_for_parse

    # The tokenizer's cost grows with a run's length squared (quote marks in a row).
    text = 'A note. "' + '"' * (3 * MAX_RUN_CHARS) + " ends here."
    pieces = split_for_parse(text)
    assert "".join(pieces) == text
    assert all(len(run) <= MAX_RUN_CHARS for p in pieces for run in p.split())
    ((doc, _),) = pipe_bounded(pipeline.nlp, [(text, None)], batch_size=4)
    assert doc.text == text and doc.user_data[PARSE_PIECES] == len(pieces)
