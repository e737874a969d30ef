"""How many attributed contents the corpus takes as claims, and a sample of each decision.

    python tools/claim_units.py RECORDS.jsonl [--sample 50] [--show]

RECORDS.jsonl is ``sourcetrace analyze`` output (schema 1.1, with ``proposition``).
Counted: the attributed contents ``claims_from_record`` would consider (at least
MIN_CLAIM_WORDS words, not a sentence that only relays another attribution), split by
``is_claim_content``; also how often the text-only guess agrees with the parse. --show
prints a random sample (seed 20) of each decision, content text only, for a reader to
judge; nothing is written.
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
    args = ap.parse_args()
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


if __name__ == "__main__":
    main()
