"""Shared helpers for the attribution tests: run the extractor on a sentence and read
each relation back as text."""

from __future__ import annotations

from sourcetrace.attributions.extract import RawAttribution, extract_attributions


def run(nlp, text: str) -> tuple[str, list[RawAttribution]]:
    return text, extract_attributions(nlp(text))


def parts(text: str, rel: RawAttribution) -> dict:
    return {
        "source": text[rel.source[0] : rel.source[1]] if rel.source else None,
        "cue": " ".join(text[a:b] for a, b in rel.cue),
        "content": [text[a:b] for a, b in rel.content],
        "relayed_by": [text[a:b] for a, b in rel.relayed_by],
        "kind": rel.kind,
    }


def only(nlp, text: str) -> dict:
    text, rels = run(nlp, text)
    top = [r for r in rels if r.nested_in is None]
    assert len(top) == 1, [parts(text, r) for r in rels]
    return parts(text, top[0])
