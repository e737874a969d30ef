"""Building a corpus: records in, DuckDB file out, all or nothing.

``build(db_path, paths)`` works on a copy of the corpus file next to it and replaces
the original with ``os.replace`` only when everything succeeded, so an interrupted or
failed build leaves the previous corpus as it was. Steps:

1. each input record is checked against the articles already stored (``dedup``): a
   repeat becomes a row of ``duplicates``, a new article is stored with its
   attributions, actors, labels and claims (``ingest_record``);
2. the new claims are embedded (``claims.embed_new``);
3. the derived tables are recomputed: corpus actors (``actors.link_actors``), claim
   clusters (``claims.cluster_claims``) and their provenance (``provenance.trace``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from ..model.errors import BadInputError
from . import actors as actors_mod
from . import claims as claims_mod
from . import provenance as provenance_mod
from .claim_text import claims_from_record
from .db import (
    SAFE_CONFIG,
    CorpusError,
    _short,
    connect,
    remove_dead_work_copies,
    work_prefix,
    write_lock,
)
from .dedup import Candidate, Deduper, Match, band_rows, candidate
from .records import Record, checked_records, iter_records
from .schema import STORED_TABLES, clear_derived, create_schema

if TYPE_CHECKING:
    from ..pipeline import Pipeline
    from .embed import Embedder

logger = logging.getLogger(__name__)

# Articles buffered before their rows are written (Arrow tables, one INSERT per table),
# or fewer when what they store (text and record JSON) reaches FLUSH_CHARS: one insert
# of 381 real analysed records (10 MB of JSON) outgrew a 48 MB bound.
FLUSH_EVERY = 500
FLUSH_CHARS = 4_000_000


@dataclass
class BuildStats:
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[BadInputError] = field(default_factory=list)
    articles: int = 0
    claims: int = 0
    clusters: int = 0
    actors: int = 0


def parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        try:
            dt = datetime.fromisoformat(s[:10])
        except ValueError:
            return None
    try:
        return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt
    except OverflowError:  # "9999-12-31T23:00-05:00" lies past datetime's range in UTC
        return None


def _spans_json(spans: Sequence[Sequence[int]]) -> str:
    return json.dumps([[int(s), int(e)] for s, e in spans])


class _Rows:
    """Row buffers per stored table, written as Arrow tables."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in STORED_TABLES}

    def __len__(self) -> int:
        return len(self.rows["articles"]) + len(self.rows["duplicates"])

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        for table, rows in self.rows.items():
            if not rows:
                continue
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
            data = {c: [r.get(c) for r in rows] for c in cols}
            arrow = pa.table(data) if table != "minhashes" else pa.table(
                {
                    "article_id": data["article_id"],
                    "signature": pa.array(data["signature"], type=pa.list_(pa.uint64())),
                }
            )
            con.register("_buf", arrow)
            con.execute(f"INSERT INTO {table} SELECT {', '.join(cols)} FROM _buf")
            con.unregister("_buf")
            rows.clear()


class CorpusBuilder:
    """Adds records to an open corpus connection (the temp copy during a build).

    Records are checked for duplicates and written a batch (FLUSH_EVERY, FLUSH_CHARS)
    at a time; ``flush`` writes the last partial batch.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, stats: BuildStats) -> None:
        self.con = con
        self.stats = stats
        self.dedup = Deduper(con)
        self.buf = _Rows()
        # (record, its JSON as stored, candidate): the JSON is made once, here, because
        # its size decides when to write.
        self.pending: list[tuple[Record, str, Candidate]] = []
        self.pending_chars = 0
        ((seq,),) = con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchall()
        self.seq = int(seq)

    def add(self, record: Record) -> None:
        meta = record.get("metadata") or {}
        cand = candidate(str(record["id"]), meta.get("url"), record.get("text") or "")
        as_json = json.dumps(record, ensure_ascii=False)
        self.pending.append((record, as_json, cand))
        self.pending_chars += len(record.get("text") or "") + len(as_json)
        if len(self.pending) >= FLUSH_EVERY or self.pending_chars >= FLUSH_CHARS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            matches = self.dedup.resolve([c for _r, _j, c in self.pending])
            for (record, as_json, cand), match in zip(self.pending, matches, strict=True):
                if match is None:
                    self.seq += 1
                    self._store(record, as_json, cand)
                    self.stats.added += 1
                else:
                    self._duplicate(record, match)
                    self.stats.duplicates += 1
            self.pending.clear()
            self.pending_chars = 0
        self.buf.flush(self.con)

    def _duplicate(self, record: Record, match: Match) -> None:
        meta = record.get("metadata") or {}
        published = meta.get("published")
        self.buf.rows["duplicates"].append(
            {
                "article_id": match.article_id,
                "path": record.get("path"),
                "url": meta.get("url") or None,
                "outlet": meta.get("outlet"),
                "published": published,
                "published_ts": parse_date(published),
                "reason": match.reason,
                "similarity": match.similarity,
            }
        )

    def _store(self, record: Record, as_json: str, cand: Candidate) -> None:
        meta = record.get("metadata") or {}
        rows = self.buf.rows
        aid = cand.article_id
        rows["articles"].append(
            {
                "id": aid,
                "seq": self.seq,
                "path": record.get("path"),
                "url": meta.get("url"),
                "outlet": meta.get("outlet"),
                "title": meta.get("title"),
                "published": meta.get("published"),
                "published_ts": parse_date(meta.get("published")),
                "text": record.get("text"),
                "metadata": json.dumps(meta, ensure_ascii=False),
                "record": as_json,
                "text_hash": cand.text_hash,
                "added_at": datetime.now(UTC).replace(tzinfo=None),
                "tier": record.get("tier"),
            }
        )
        rows["minhashes"].append({"article_id": aid, "signature": cand.signature.tolist()})
        rows["minhash_bands"].extend(band_rows(aid, cand.keys))
        for a in record.get("attributions") or []:
            src = a.get("source") or {}
            rows["attributions"].append(
                {
                    "article_id": aid,
                    "id": a.get("id"),
                    "kind": a.get("kind"),
                    "source_text": src.get("text"),
                    "source_type": src.get("type"),
                    "source_actor": src.get("actor"),
                    "source_role": src.get("role"),
                    "source_spans": _spans_json(src.get("spans") or []),
                    "cue_text": (a.get("cue") or {}).get("text"),
                    "content_text": (a.get("content") or {}).get("text"),
                    "content_spans": _spans_json((a.get("content") or {}).get("spans") or []),
                    "relayed_by": json.dumps(a.get("relayed_by") or [], ensure_ascii=False),
                    "chain_depth": a.get("chain_depth"),
                    "confidence": a.get("confidence"),
                }
            )
        for act in record.get("actors") or []:
            rows["article_actors"].append(
                {
                    "article_id": aid,
                    "local_id": act.get("id"),
                    "name": act.get("name"),
                    "type": act.get("type"),
                    "aliases": json.dumps(act.get("aliases") or [], ensure_ascii=False),
                    "mentions": json.dumps(act.get("mentions") or [], ensure_ascii=False),
                    "actor_id": None,
                }
            )
        for lb in record.get("labels") or []:
            rows["labels"].append(
                {
                    "article_id": aid,
                    "local_actor": lb.get("actor"),
                    "label": lb.get("label"),
                    "voice": lb.get("voice"),
                    "text": lb.get("text"),
                    "spans": _spans_json(lb.get("spans") or []),
                    "attribution": lb.get("attribution"),
                }
            )
        rows["claims"].extend(claims_from_record(record))


# DuckDB's memory bound for a build; its sorts, joins and temp tables spill beyond it.
# 64 MB builds the 100k-article benchmark; the 381 real PolNeAR + PTC records build at
# 32 MB too; docs/corpus.md has the figures.
BUILD_MEMORY_LIMIT = os.environ.get("SOURCETRACE_DUCKDB_MEMORY", "64MB")


def _open_work_copy(db_path: str) -> tuple[str, duckdb.DuckDBPyConnection]:
    """A temp copy of the corpus (or a fresh file) in the same folder, opened."""
    folder = os.path.dirname(os.path.abspath(db_path)) or "."
    prefix = os.path.basename(work_prefix(db_path))
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".duckdb", dir=folder)
    os.close(fd)
    os.remove(tmp)  # DuckDB refuses an existing empty file
    if os.path.exists(db_path):
        # Refuses a directory, a foreign or damaged file, a newer corpus. Opened as the web
        # app opens it (no external access): DuckDB refuses a second configuration of one
        # file in one process, and `serve --allow-add` builds beside its own connection.
        connect(db_path, external_access=False).close()
        shutil.copyfile(db_path, tmp)
    try:
        # DuckDB caches pages up to 80% of RAM by default; a bound keeps a large build's
        # memory flat (sorts and joins spill to a temp folder beside the corpus).
        con = duckdb.connect(tmp, config={**SAFE_CONFIG, "memory_limit": BUILD_MEMORY_LIMIT})
    except duckdb.Error as exc:
        _remove(tmp)
        raise CorpusError(f"{db_path}: cannot write a corpus here ({_short(exc)})") from None
    return tmp, con


def _remove(path: str) -> None:
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.remove(p)
    if os.path.isdir(path + ".tmp"):  # DuckDB's spill folder
        shutil.rmtree(path + ".tmp", ignore_errors=True)


def build(
    db_path: str,
    paths: Iterable[str] = (),
    *,
    pipeline: Callable[[], Pipeline] | None = None,
    embedder: Embedder | None = None,
    alias_files: Sequence[str] = (),
    records: Iterable[Record | BadInputError] | None = None,
    on_item: Callable[[Record | BadInputError], None] | None = None,
    wait: bool = True,
) -> BuildStats:
    """Add inputs to the corpus at ``db_path`` (created when missing), atomically.

    paths: inputs (see ``records``); or ``records`` given directly (tests, benchmarks).
    pipeline: factory for the analyser, called only if some input needs analysing.
    embedder: claim encoder (default: the bundled MiniLM sentence encoder).
    alias_files: user alias files forcing or forbidding actor merges.
    on_item: called after each record or error (progress bars).
    wait: when another build is writing the same corpus, wait for it (True) or fail at
      once (False). Builds of one corpus never overlap: each holds its lock from the copy
      to the replace, so no build's articles are lost to another's.
    RAISES CorpusError / ConfigError: the corpus or an alias file cannot be used, or
      ``wait`` is False and another build holds the corpus; the corpus file is then
      untouched.
    """
    rules = actors_mod.load_alias_rules(alias_files)  # fail before any work
    if pipeline is None:

        def pipeline() -> Pipeline:
            from ..pipeline import Pipeline

            return Pipeline()

    # Records given directly are validated here; read ones where they are read.
    stream = checked_records(records) if records is not None else iter_records(paths, pipeline)
    with write_lock(db_path, wait=wait):
        remove_dead_work_copies(db_path)
        return _build_locked(db_path, stream, embedder, rules, on_item)


def _build_locked(
    db_path: str,
    stream: Iterable[Record | BadInputError],
    embedder: Embedder | None,
    rules: Any,
    on_item: Callable[[Record | BadInputError], None] | None,
) -> BuildStats:
    from .embed import default_embedder

    stats = BuildStats()
    tmp, con = _open_work_copy(db_path)
    ok = False
    steps = ["storing articles"]  # the last one names where a build ran out of memory
    try:
        create_schema(con)
        builder = CorpusBuilder(con, stats)
        for item in stream:
            if isinstance(item, BadInputError):
                stats.failed += 1
                stats.errors.append(item)
            else:
                builder.add(item)
            if on_item is not None:
                on_item(item)
        builder.flush()
        enc = embedder or default_embedder()
        steps.append("embedding claims")
        claims_mod.embed_new(con, enc)
        derive(con, rules, enc, steps.append)
        stats.articles = _count(con, "articles")
        stats.claims = _count(con, "claims")
        stats.clusters = _count(con, "clusters")
        stats.actors = _count(con, "actors")
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, db_path)
        ok = True
    except duckdb.OutOfMemoryException:
        raise CorpusError(
            f"{db_path}: DuckDB ran out of memory under its {BUILD_MEMORY_LIMIT} bound while "
            f"{steps[-1]}; "
            "set SOURCETRACE_DUCKDB_MEMORY higher (for example 512MB)"
        ) from None
    finally:
        if not ok:
            con.close()
            _remove(tmp)
    return stats


def derive(
    con: duckdb.DuckDBPyConnection,
    rules: actors_mod.AliasRules,
    enc: Embedder,
    on_step: Callable[[str], None] = lambda _step: None,
) -> None:
    """Recompute every derived table from the stored ones."""
    clear_derived(con)
    on_step("linking actors")
    actors_mod.link_actors(con, rules)
    on_step("clustering claims")
    claims_mod.cluster_claims(con, enc)
    on_step("tracing provenance")
    provenance_mod.trace(con)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
