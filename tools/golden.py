"""Golden check: fingerprints of what sourcetrace outputs, so a refactor can prove it changed none.

What is fingerprinted (each item one SHA-256 in ``tests/golden/manifest.json``):

- ``analyze/<set>/<file>``: the JSONL record of every article of the shipped examples, the
  seeds and PolNeAR dev. Each set is analysed through a link named after it in a work
  folder, so paths (and the article ids hashed from them) do not depend on where the
  checkout lies;
- ``report/<fmt>``: the csv, html and text reports of the examples and the seeds;
- ``table/<name>``: every table of a corpus built from those records (rows in insertion
  order, so ids and ordering count);
- ``api/<path>``: the web app's JSON documents over that corpus;
- ``cli/<command>``: what the corpus commands print over it, and its HTML report.

Only hashes are stored, never text, so nothing from ``../shared`` enters the repo.

    python tools/golden.py            # compare with the manifest; exit 1 on any difference
    python tools/golden.py --update   # rewrite the manifest (after an intended output change)
    python tools/golden.py --keep DIR # also keep the raw outputs in DIR, to diff by hand
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SOURCETRACE_SHARED", REPO.parent / "shared"))
MANIFEST = REPO / "tests" / "golden" / "manifest.json"
SETS = {
    "examples": REPO / "src" / "sourcetrace" / "data" / "examples",
    "seeds": SHARED / "seeds",
    "polnear-dev": SHARED / "data" / "polnear" / "dev" / "text",
}
REPORT_SETS = ("examples", "seeds")
API_CLAIMS = 40  # claim documents fetched (the largest first)
API_SEARCHES = ("Clinton", "MKO", "said", "source", "Trump's taxes")


def _sha(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _cli(*args: str, cwd: Path = REPO) -> str:
    cmd = [str(Path(sys.executable).parent / "sourcetrace"), *args]
    # The default tier, pinned: fingerprints must not depend on the [accurate] extra.
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "SOURCETRACE_MODEL": "default"}
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"golden: {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def _sets() -> dict[str, Path]:
    return {name: path for name, path in SETS.items() if path.is_dir()}


def _inputs(work: Path) -> Path:
    """A folder holding one link per input set, named after the set: analysed from there,
    the sets get the same relative paths wherever the checkout and ../shared lie."""
    folder = work / "in"
    folder.mkdir(exist_ok=True)
    for name, path in _sets().items():
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(path, target_is_directory=True)
    return folder


def analyze_fingerprints(work: Path) -> tuple[dict[str, str], Path]:
    """Analyse every set into one JSONL file; one hash per record."""
    out = work / "analysis.jsonl"
    _cli("analyze", *_sets(), "-o", str(out), cwd=_inputs(work))
    prints: dict[str, str] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        prints[f"analyze/{record['path']}"] = _sha(line)
    return prints, out


def report_fingerprints(work: Path) -> dict[str, str]:
    names = [name for name in REPORT_SETS if name in _sets()]
    prints = {}
    for fmt, ext in (("csv", "csv"), ("html", "html"), ("text", "txt")):
        out = work / f"report.{ext}"
        _cli("analyze", *names, "-o", str(out), "--format", fmt, cwd=_inputs(work))
        prints[f"report/{fmt}"] = _sha(out.read_text(encoding="utf-8"))
    return prints


def table_fingerprints(db: Path) -> dict[str, str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name").fetchall()]
        prints = {}
        for name in names:
            cur = con.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            rows = cur.fetchall()
            cols = [d[0] for d in cur.description]
            if name == "corpus_meta":  # build times and the like vary from run to run
                continue
            if name == "articles":  # added_at is the clock's
                j = cols.index("added_at")
                rows = [(*r[:j], *r[j + 1:]) for r in rows]
            body = json.dumps([cols, rows], default=str, ensure_ascii=False)
            prints[f"table/{name}"] = _sha(body)
        return prints
    finally:
        con.close()


def api_fingerprints(db: Path) -> dict[str, str]:
    from fastapi.testclient import TestClient

    from sourcetrace.web import create_app

    prints = {}
    with TestClient(create_app(db)) as client:

        def get(url: str) -> Any:
            response = client.get(url)
            prints[f"api/{url}"] = _sha(f"{response.status_code}\n{response.text}")
            return response.json() if response.status_code == 200 else None

        overview = get("/api/overview")
        articles = []
        offset = 0
        while True:
            page = get(f"/api/articles?offset={offset}")
            items = page.get("articles", []) if isinstance(page, dict) else []
            if not items:
                break
            articles.extend(items)
            offset += len(items)
        actor_ids: list[str] = []
        for a in articles:
            doc = get(f"/api/articles/{a['id']}")
            actors = (doc or {}).get("actors") or {}
            actor_ids.extend(a["id"] for a in list(actors.values())[:3])
        claims = get("/api/claims")
        claim_list = claims.get("claims", []) if isinstance(claims, dict) else []
        for c in claim_list[:API_CLAIMS]:
            get(f"/api/claims/{c['id']}")
        for actor_id in sorted(set(actor_ids))[:60]:
            get(f"/api/actors/{actor_id}")
        for q in API_SEARCHES:
            get(f"/api/search?q={q}")
        assert overview is not None
    return prints


def corpus_cli_fingerprints(db: Path, work: Path) -> dict[str, str]:
    """What the corpus commands print (and the HTML report they write)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        claims = [r[0] for r in con.execute(
            "SELECT id FROM clusters ORDER BY n_articles DESC, id LIMIT 5").fetchall()]
        actors = [r[0] for r in con.execute(
            "SELECT name FROM actors ORDER BY n_mentions DESC, id LIMIT 5").fetchall()]
    finally:
        con.close()
    prints = {"cli/corpus claims": _sha(_cli("corpus", "claims", "--db", str(db)))}
    for claim in claims:
        prints[f"cli/corpus claim {claim}"] = _sha(_cli("corpus", "claim", claim, "--db", str(db)))
    for actor in actors:
        prints[f"cli/corpus actor {actor}"] = _sha(_cli("corpus", "actor", actor, "--db", str(db)))
    out = work / "corpus-report.html"
    _cli("corpus", "report", "--db", str(db), "-o", str(out))
    prints["cli/corpus report"] = _sha(out.read_text(encoding="utf-8"))
    return prints


def fingerprints(keep: Path | None = None) -> dict[str, str]:
    """Run everything and return {item: sha256}."""
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        prints, analysis = analyze_fingerprints(work)
        prints.update(report_fingerprints(work))
        db = work / "corpus.duckdb"
        db.unlink(missing_ok=True)  # a build adds to an existing corpus
        _cli("corpus", "build", "--db", str(db), str(analysis))
        prints.update(table_fingerprints(db))
        prints.update(corpus_cli_fingerprints(db, work))
        prints.update(api_fingerprints(db))  # last: the app keeps its connection open
    return prints


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Lines naming each item that differs, is missing or is new."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        if key not in actual:
            lines.append(f"missing: {key}")
        elif key not in expected:
            lines.append(f"new: {key}")
        elif expected[key] != actual[key]:
            lines.append(f"changed: {key}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the manifest")
    parser.add_argument("--keep", type=Path, help="keep raw outputs in this folder")
    args = parser.parse_args(argv)
    actual = fingerprints(args.keep)
    if args.update:
        # Say what the update changes, so the intended change can be named.
        if MANIFEST.is_file():
            for line in compare(json.loads(MANIFEST.read_text()), actual):
                print(line)
        MANIFEST.parent.mkdir(parents=True, exist_ok=True)
        MANIFEST.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
        print(f"golden: wrote {len(actual)} fingerprints to {MANIFEST.relative_to(REPO)}")
        return 0
    expected = json.loads(MANIFEST.read_text())
    diff = compare(expected, actual)
    for line in diff:
        print(line)
    print(f"golden: {len(actual)} fingerprints, {len(diff)} differences")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
