"""LF copies of CR/CRLF texts and the offset map back (model.newlines)."""

from __future__ import annotations

import random

from sourcetrace.model.article import Article, Excluded
from sourcetrace.model.newlines import normalize_article, normalize_newlines


def test_lf_text_is_left_alone():
    text = "One line.\nTwo lines.\n"
    assert normalize_newlines(text) == (text, None)


def test_lone_cr_becomes_lf_in_place():
    copy, nmap = normalize_newlines("a\rb\rc")
    assert copy == "a\nb\nc" and nmap is None


def test_every_range_maps_back_to_the_same_characters():
    rng = random.Random(7)
    for _ in range(200):
        lines = ["".join(rng.choice("ab ") for _ in range(rng.randint(0, 5)))
                 for _ in range(rng.randint(1, 6))]
        original = "\r\n".join(lines) + rng.choice(["", "\r\n", "\n", "\r"])
        copy, nmap = normalize_newlines(original)
        assert "\r" not in copy
        for start in range(len(copy) + 1):
            for end in range(start, len(copy) + 1):
                s, e = nmap.to_original((start, end)) if nmap else (start, end)
                # The same text, once the original's CRLFs read as LF.
                assert original[s:e].replace("\r\n", "\n").replace("\r", "\n") == copy[start:end]
                if nmap:
                    assert nmap.to_copy((s, e)) == (start, end)


def test_excluded_ranges_move_with_the_text():
    text = "Home > News\r\nBody text here.\r\nRelated posts\r\n"
    article = Article("x", "x.txt", text, {}, (Excluded(30, 45, "related"),))
    copy, nmap = normalize_article(article)
    (ex,) = copy.excluded
    assert copy.text[ex.start:ex.end] == "Related posts\n"
    assert nmap is not None and nmap.to_original((ex.start, ex.end)) == (30, 45)


def test_restored_span_text_is_the_original_characters():
    from sourcetrace.model.newlines import restore_analysis
    from sourcetrace.model.record import Analysis, Assertion
    from sourcetrace.model.spans import TextSpan

    for original_text in ("First line.\r\nSecond line.\r\n", "First line.\rSecond line.\r"):
        original = Article("x", "x.txt", original_text, {}, ())
        copy, nmap = normalize_article(original)
        sentence = TextSpan.from_offsets(copy.text, [(0, len(copy.text))])
        restored = restore_analysis(Analysis(copy, unattributed=(Assertion(sentence, "r"),)),
                                    original, nmap)
        (assertion,) = restored.unattributed
        assert restored.article is original
        (s, e), = assertion.sentence.spans
        assert assertion.sentence.text == original_text[s:e] and e == len(original_text)
