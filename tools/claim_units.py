"""How many attributed contents the corpus takes as claims, and a sample of each decision.

    python tools/claim_units.py RECORDS.jsonl [--sample 50] [--show] [--reparse OUT.jsonl]

RECORDS.jsonl is ``sourcetrace analyze`` output (schema 1.1, with ``proposition``).
Counted: the attributed contents ``claims_from_record`` would consider (at least
MIN_CLAIM_WORDS words, not a sentence that only relays another attribution), split by
``is_claim_content``; also how often the text-only guess agrees with the parse. --show
prints a random sample (seed 20) of each decision, content text only, for a reader to
judge. --reparse first sets every attribution's ``proposition`` again from a fresh parse
(the analysis's own spaCy pipeline, so the same doc analysis had) and writes the records
to OUT.jsonl: the check can change without analysing the articles again.
"""

from __future__ import annotations

import argparse
import json
import random
import re

from sourcetrace.attributions.proposition import looks_like_proposition
from sourcetrace.corpus.claim_text import MIN_CLAIM_WORDS, is_claim_content

SEED = 20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("records")
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--reparse", metavar="OUT")
    args = ap.parse_args()
    if args.reparse:
        reparse(args.records, args.reparse)
        args.records = args.reparse
    kept: list[str] = []
    dropped: list[str] = []
    agree = 0
    with open(args.records, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            atts = rec.get("attributions") or []
            cue_starts = [s for a in atts for s, e in a["cue"]["spans"][:1] if e > s]
            for a in atts:
                text = a["content"]["text"]
                spans = a["content"]["spans"]
                if not spans or len(re.findall(r"\w+", text)) < MIN_CLAIM_WORDS:
                    continue
                if any(s <= c < e for s, e in spans for c in cue_starts):
                    continue
                claim = is_claim_content(a)
                agree += looks_like_proposition(text) == claim
                (kept if claim else dropped).append(" ".join(text.split()))
    total = len(kept) + len(dropped)
    print(f"{total} contents: {len(kept)} claims, {len(dropped)} not claims "
          f"({len(dropped) / max(total, 1):.1%}); text-only guess agrees on "
          f"{agree / max(total, 1):.1%}")
    if args.show:
        rng = random.Random(SEED)
        for name, items in (("CLAIM", kept), ("NOT", dropped)):
            for n, t in enumerate(rng.sample(items, min(args.sample, len(items))), 1):
                print(f"{name} {n}: {t[:220]}")


def reparse(src: str, out: str) -> None:
    from sourcetrace.attributions.proposition import is_proposition
    from sourcetrace.pipeline import Pipeline

    nlp = Pipeline().nlp
    with open(src, encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    docs = nlp.pipe(r["text"] for r in records)
    with open(out, "w", encoding="utf-8") as f:
        for rec, doc in zip(records, docs, strict=True):
            for a in rec.get("attributions") or []:
                a["proposition"] = is_proposition(
                    doc, [tuple(s) for s in a["content"]["spans"]],
                    [tuple(s) for s in a["cue"]["spans"]],
                )
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
