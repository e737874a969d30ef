"""Which attributed contents are propositions: read from the parse, and the text-only
guess used for records that predate the field."""

from __future__ import annotations

import pytest

from sourcetrace.attributions.proposition import is_proposition, looks_like_proposition

# (sentence, content, is a proposition). Invented sentences, not tuned on any corpus.
CASES = [
    ("The council said that the ferry will stop running in May.",
     "that the ferry will stop running in May", True),
    ("Ms. Oru told reporters the harbour had flooded twice.",
     "the harbour had flooded twice", True),
    ("The minister faced sharp criticism of the tax plan.", "sharp criticism of the tax plan",
     False),
    ("The union endorsed Marta Keel for governor.", "Marta Keel for governor", False),
    ("Reporters asked her about her campaign debts.", "her about her campaign debts", False),
    ("Nobody knows what's in the mayor's contract.", "what's in the mayor's contract", False),
    ("He wondered whether the bank would lend again.", "whether the bank would lend again",
     False),
    ("She promised to rebuild the old pier.", "to rebuild the old pier", False),
    ("The report named the firms that were fined last year.",
     "the firms that were fined last year", False),
    ('"Who will pay for this?" the farmer asked.', "Who will pay for this?", False),
    ("He said what the council did was unlawful.", "what the council did was unlawful", True),
    ('"We lost everything. Why would anyone help us?" she said.',
     "We lost everything. Why would anyone help us?", True),
]


@pytest.mark.parametrize(("sentence", "content", "expected"), CASES)
def test_is_proposition_reads_the_parse(nlp, sentence, content, expected):
    doc = nlp(sentence)
    s = sentence.index(content)
    assert is_proposition(doc, [(s, s + len(content))]) is expected


@pytest.mark.parametrize(("sentence", "cue", "content", "expected"), [
    ("The firm called the charges unsubstantiated.", "called", "the charges unsubstantiated",
     True),
    ("The senator described the raids as illegal and cruel.", "described",
     "the raids as illegal and cruel", True),
    ("The senator described the raids in great detail.", "described",
     "the raids in great detail", False),
    ("The mayor called for new taxes on tourists.", "called", "for new taxes on tourists",
     False),
    ("The mayor called for a public inquiry into the fire.", "called",
     "a public inquiry into the fire", False),
    ("Her aides called him to ask for his support.", "called", "him to ask for his support",
     False),
    ("Farmers have rejected the rumour that the dairy closed its doors.", "have rejected",
     "that the dairy closed its doors", True),
])
def test_small_clauses_and_content_clauses(nlp, sentence, cue, content, expected):
    doc = nlp(sentence)
    s, c = sentence.index(content), sentence.index(cue)
    assert is_proposition(doc, [(s, s + len(content))], [(c, c + len(cue))]) is expected


def test_split_content_is_one_proposition(nlp):
    text = '"The dam is safe," the engineer said, "and it will hold."'
    doc = nlp(text)
    a, b = text.index("The dam is safe"), text.index("and it will hold")
    assert is_proposition(doc, [(a, a + len("The dam is safe")), (b, b + len("and it will hold"))])
    assert not is_proposition(doc, [])


@pytest.mark.parametrize(("content", "expected"), [
    ("the ferry will stop running in May", True),
    ("he blamed the weather", True),
    ("prices climbed sharply after the storm", True),
    ("sharp criticism of the tax plan", False),
    ("Marta Keel for governor", False),
    ("what's in the mayor's contract", False),
    ("whether the bank would lend again", False),
    ("to rebuild the old pier", False),
    ("Who will pay for this?", False),
])
def test_text_only_guess(content, expected):
    assert looks_like_proposition(content) is expected
