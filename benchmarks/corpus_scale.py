"""Scale benchmark for ``sourcetrace corpus build`` (prints figures; not a test).

Generates analysed records directly (no spaCy: the analysis stage is measured by
``throughput.py``): invented articles from a pool of outlets, people, organisations
and claim templates, with correct offsets, ~6 claims and ~5 actors each; 20% of the
claims repeat an earlier article's claim (relayed or paraphrased by another outlet) and
3% of articles are syndicated copies. Each size is built into a fresh corpus in its
own subprocess, so peak RSS is per size.

Printed per size: build seconds, articles/s, peak RSS; then the growth exponent of
build time fitted over the sizes (log t = a + b log n; b <= 1.15 is the target), and
the RSS ratio of the largest size to the smallest and to the next smaller. The baselines
for the ratios are measured in the same run.

    nice -n 10 python benchmarks/corpus_scale.py                  # 1k and 10k, hashing encoder
    python benchmarks/corpus_scale.py --sizes 1000 10000 100000
    python benchmarks/corpus_scale.py --embedder minilm --sizes 500 2000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

FIRST = ["Alina", "Piet", "Karim", "Sofia", "Jonas", "Maja", "Ivo", "Lena", "Oskar", "Nadia",
         "Tomas", "Elena", "Rolf", "Hanna", "Pavel", "Ilse", "Leo", "Vera", "Erik", "Dana"]
LAST = ["Dovrek", "Arlen", "Haddad", "Rann", "Petrov", "Lund", "Marek", "Osk", "Varga",
        "Renko", "Strand", "Malik", "Stein", "Berg", "Holm", "Vos", "Soro", "Gral", "Ruud",
        "Lind", "Novak", "Kovane", "Brandt", "Okonye", "Sandvik", "Dahl"]
ROLES = ["Minister", "spokesman", "Mayor", "chairman", "director", "Judge"]
ORG_A = ["Northern", "Coastal", "Eastern", "National", "Free", "United", "Central"]
ORG_B = ["Farmers", "Workers", "Doctors", "Traders", "Students", "Engineers", "Fishers"]
ORG_C = ["Union", "Council", "Front", "League", "Association", "Movement"]
PLACES = ["Kessa", "Port Vell", "Lerin", "Eastvale", "Meridian", "Norhaven", "Dunmore"]
THINGS = ["bridge", "railway", "harbour", "hospital", "school", "dam", "airport", "mine"]
VERBS = ["will close", "will reopen", "was damaged", "will be sold", "will be rebuilt",
         "is leaking", "will cost more", "will be delayed"]
WHEN = ["next week", "in June", "by spring", "before the elections", "this year", "on Monday"]


RECENT = 5000


class Gen:
    def __init__(self, seed: int = 7) -> None:
        self.r = random.Random(seed)
        self.outlets = [f"{p} {k}" for p in PLACES for k in ("Gazette", "Times", "Courier")]
        # The recent claims that repeats are drawn from. Only the last RECENT are used,
        # so only they are kept: the generator's own memory must not grow with the corpus
        # whose build is being measured.
        self.claims: deque[str] = deque(maxlen=RECENT)
        # Invented words, so claims differ as much as real ones do.
        syll = ["ka", "lo", "ver", "mi", "dun", "sa", "tor", "el", "bri", "na", "gos", "ph"]
        self.vocab = sorted({"".join(self.r.choice(syll) for _ in range(self.r.randint(2, 3)))
                             for _ in range(4000)})

    def person(self) -> str:
        return f"{self.r.choice(FIRST)} {self.r.choice(LAST)}"

    def org(self) -> str:
        r = self.r
        return f"{r.choice(ORG_A)} {r.choice(ORG_B)} {r.choice(ORG_C)}"

    def claim(self) -> str:
        r = self.r
        if self.claims and r.random() < 0.2:  # an earlier claim, relayed or paraphrased
            words = r.choice(self.claims).split()
            if r.random() < 0.5:
                del words[r.randrange(1, len(words))]
            return " ".join(words)
        c = (f"the {r.choice(THINGS)} in {r.choice(PLACES)} "
             + " ".join(r.choice(self.vocab) for _ in range(r.randint(7, 11)))
             + f" {r.randint(2, 900)}")
        self.claims.append(c)
        return c

    def record(self, n: int) -> dict[str, Any]:
        r = self.r
        parts: list[str] = []
        pos = 0
        attributions, actors, unattributed = [], [], []
        actor_ids: dict[str, str] = {}

        def add(s: str) -> tuple[int, int]:
            nonlocal pos
            start = pos
            parts.append(s)
            pos += len(s)
            return start, pos

        def actor(name: str, type_: str, span: tuple[int, int]) -> str:
            if name not in actor_ids:
                actor_ids[name] = f"a{len(actor_ids) + 1}"
                actors.append({"id": actor_ids[name], "name": name, "type": type_,
                               "aliases": [name], "mentions": []})
            a = next(x for x in actors if x["id"] == actor_ids[name])
            a["mentions"].append({"text": name, "spans": [list(span)]})
            return actor_ids[name]

        for t in range(r.randint(4, 8)):
            content = self.claim()
            kind = r.random()
            if kind < 0.15:
                s, e = add(content[0].upper() + content[1:] + ".")
                unattributed.append({"text": content, "spans": [[s, e - 1]],
                                     "reason": "asserted in the writer's voice; no source"})
                add(" ")
                continue
            if kind < 0.6:
                name, type_ = self.person(), "person"
                add(f"{r.choice(ROLES)} ")
            elif kind < 0.85:
                name, type_ = self.org(), "organization"
                add("The ")
            else:
                name, type_ = "an unnamed official", "anonymous"
                add("")
            ss = add(name)
            aid = actor(name, type_, ss) if type_ != "anonymous" else None
            cs = add(" said")
            add(" that ")
            ks = add(content)
            add(". ")
            attributions.append({
                "id": f"t{t + 1}",
                "source": {"text": name, "spans": [list(ss)], "type": type_, "actor": aid,
                           "role": None, "antecedent": None},
                "cue": {"text": "said", "spans": [[cs[0] + 1, cs[1]]]},
                "content": {"text": content, "spans": [list(ks)]},
                "kind": "indirect", "relayed_by": [], "chain_depth": 1, "confidence": 0.8,
            })
        text = "".join(parts)
        outlet = r.choice(self.outlets)
        day = 1 + n % 28
        return {
            "schema_version": "1.0.0", "id": f"gen{n}", "path": f"gen/{n}.txt", "text": text,
            "metadata": {"outlet": outlet, "published": f"2025-03-{day:02d}",
                         "url": f"https://{outlet.replace(' ', '').lower()}.example/{n}"},
            "excluded": [], "attributions": attributions, "actors": actors,
            "unattributed": unattributed, "labels": [], "profile": {},
        }

    def stream(self, count: int):
        last = None
        for n in range(count):
            if last is not None and self.r.random() < 0.03:  # syndicated copy
                rec = dict(last, id=f"gen{n}", path=f"gen/{n}.txt")
                rec["metadata"] = dict(last["metadata"], url=f"https://copy.example/{n}")
                yield rec
                continue
            last = self.record(n)
            yield last


def run_one(size: int, embedder: str) -> dict[str, Any]:
    from sourcetrace.corpus.build import build
    from sourcetrace.corpus.embed import HashingEmbedder, MiniLMEmbedder

    enc = HashingEmbedder() if embedder == "hashing" else MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.duckdb")
        t0 = time.perf_counter()
        stats = build(db, records=Gen().stream(size), embedder=enc)
        seconds = time.perf_counter() - t0
        size_mb = os.path.getsize(db) / 2**20
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"size": size, "seconds": seconds, "rss_mb": rss_mb, "db_mb": size_mb,
            "articles": stats.articles, "duplicates": stats.duplicates,
            "claims": stats.claims, "clusters": stats.clusters, "actors": stats.actors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--embedder", choices=["hashing", "minilm"], default="hashing")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.embedder)))
        return
    rows = []
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--embedder", args.embedder],
            capture_output=True, text=True,
        )
        if done.returncode:
            why = (done.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"{size:>7} articles: failed: {why}", flush=True)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{row['size']:>7} articles: {row['seconds']:8.1f} s  "
              f"{row['size'] / row['seconds']:8.1f} articles/s  peak RSS {row['rss_mb']:7.0f} MB  "
              f"db {row['db_mb']:6.1f} MB  ({row['articles']} stored, {row['duplicates']} dup, "
              f"{row['claims']} claims, {row['clusters']} clusters, {row['actors']} actors)",
              flush=True)
    if len(rows) >= 2:
        xs = [math.log(r["size"]) for r in rows]
        ys = [math.log(r["seconds"]) for r in rows]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mx) ** 2 for x in xs)
        print(f"build-time growth exponent: {b:.3f} (target <= 1.15)")
        # Also size against size: the smallest corpora do not fill DuckDB's memory bound,
        # so flat means the peak stops growing once it is full.
        steps = list(zip(rows[:-1], rows[1:], strict=True)) if len(rows) > 2 else []
        pairs = [(rows[0], rows[-1]), *steps]
        for lo, hi in pairs:
            print(f"peak RSS {hi['size']}/{lo['size']}: {hi['rss_mb'] / lo['rss_mb']:.2f}x "
                  f"for {hi['size'] / lo['size']:.0f}x the articles")
        speed = [r["size"] / r["seconds"] for r in rows]
        print(f"throughput {rows[-1]['size']}/{rows[0]['size']}: {speed[-1] / speed[0]:.2f}x "
              "(1.0 = linear)")


if __name__ == "__main__":
    main()
