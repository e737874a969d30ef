"""The corpus database: every table's DDL in one place.

A corpus is one DuckDB file. Tables in two groups:

- *Stored* tables hold what each article brought in and are only appended to:
  ``articles``, ``duplicates``, ``attributions``, ``article_actors``, ``labels``,
  ``claims``, ``claim_vectors``, ``minhashes``, ``minhash_bands``.
- *Derived* tables are recomputed from the stored ones on every build (cheap next to
  analysis and embedding, and it keeps cross-article merges consistent when articles
  are added): ``actors``, ``actor_aliases``, ``actor_evidence``, ``clusters``,
  ``claim_links``, ``disputes``, ``provenance_nodes``, ``provenance_edges``, ``origins``,
  ``timeline``.

Offsets are ``[start, end)`` character offsets into ``articles.text``. Columns holding
lists of spans are JSON text (``[[s, e], ...]``). Table and column names are a contract
with the web app: add, never rename or remove.
"""

from __future__ import annotations

import duckdb

# Bumped on incompatible changes; a corpus with another major version is refused.
# 1.1: minhash_bands (filled on first build from 1.0); 1.2: disputes (derived);
# 1.3: articles.tier (added by the next build of an older corpus; NULL for its articles).
CORPUS_SCHEMA_VERSION = "1.3"

DDL = """
CREATE TABLE IF NOT EXISTS corpus_meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One row per distinct article (a copy with the same URL or near-identical text goes
-- to `duplicates` instead). `record` is the full Analysis.to_dict() JSON.
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    seq INTEGER,                -- insertion order, for stable ties in timelines
    path VARCHAR,
    url VARCHAR,
    outlet VARCHAR,
    title VARCHAR,
    published VARCHAR,          -- as given by the input (ISO date when known)
    published_ts TIMESTAMP,     -- parsed, NULL when unknown
    text VARCHAR,
    metadata JSON,
    record JSON,
    text_hash VARCHAR,          -- sha1 of the whitespace-normalised text
    added_at TIMESTAMP,
    tier VARCHAR                -- attribution tier that analysed it (NULL: before 1.3)
);

-- Other sightings of a stored article: syndicated copies, re-fetches of one URL.
CREATE TABLE IF NOT EXISTS duplicates (
    article_id VARCHAR,         -- the stored article
    path VARCHAR,
    url VARCHAR,
    outlet VARCHAR,
    published VARCHAR,
    published_ts TIMESTAMP,
    reason VARCHAR,             -- same_id | same_url | same_text | near_duplicate
    similarity DOUBLE           -- estimated Jaccard of word shingles (1.0 when exact)
);

CREATE TABLE IF NOT EXISTS minhashes (
    article_id VARCHAR,
    signature UBIGINT[]
);

-- LSH band keys of each signature (dedup.BANDS per article): near-duplicate candidates.
CREATE TABLE IF NOT EXISTS minhash_bands (
    article_id VARCHAR,
    band SMALLINT,
    key BIGINT
);

CREATE TABLE IF NOT EXISTS attributions (
    article_id VARCHAR,
    id VARCHAR,                 -- t1, t2... within the article
    kind VARCHAR,
    source_text VARCHAR,
    source_type VARCHAR,
    source_actor VARCHAR,       -- article-local actor id (a1...)
    source_role VARCHAR,
    source_spans JSON,
    cue_text VARCHAR,
    content_text VARCHAR,
    content_spans JSON,
    relayed_by JSON,            -- list of sources, outermost first (as in the record)
    chain_depth INTEGER,
    confidence DOUBLE
);

-- Actors as each article resolved them.
CREATE TABLE IF NOT EXISTS article_actors (
    article_id VARCHAR,
    local_id VARCHAR,           -- a1, a2... within the article
    name VARCHAR,
    type VARCHAR,
    aliases JSON,
    mentions JSON,              -- [{text, spans}]
    actor_id VARCHAR            -- corpus actor (derived; refreshed on every build)
);

CREATE TABLE IF NOT EXISTS labels (
    article_id VARCHAR,
    local_actor VARCHAR,
    label VARCHAR,
    voice VARCHAR,
    text VARCHAR,
    spans JSON,
    attribution VARCHAR
);

-- Attributed contents and unattributed assertions.
CREATE TABLE IF NOT EXISTS claims (
    id VARCHAR PRIMARY KEY,     -- <article id>:<t1 | u1>
    article_id VARCHAR,
    kind VARCHAR,               -- attributed | unattributed
    attribution_id VARCHAR,     -- NULL for unattributed
    text VARCHAR,
    start_offset INTEGER,
    end_offset INTEGER,
    spans JSON,
    source_text VARCHAR,
    source_type VARCHAR,        -- NULL for unattributed
    source_local_actor VARCHAR,
    relayed_by JSON,
    cluster_id VARCHAR          -- derived
);

CREATE TABLE IF NOT EXISTS claim_vectors (
    claim_id VARCHAR,
    model VARCHAR,
    vector FLOAT[]
);

-- Derived: corpus-wide actors.
CREATE TABLE IF NOT EXISTS actors (
    id VARCHAR PRIMARY KEY,     -- c1, c2... (stable within one build)
    name VARCHAR,
    type VARCHAR,
    n_articles INTEGER,
    n_mentions INTEGER
);

CREATE TABLE IF NOT EXISTS actor_aliases (
    actor_id VARCHAR,
    alias VARCHAR,
    n_articles INTEGER
);

-- Why two names ended up as one actor: which article (or alias file) said so.
CREATE TABLE IF NOT EXISTS actor_evidence (
    actor_id VARCHAR,
    alias VARCHAR,
    other VARCHAR,
    article_id VARCHAR,         -- NULL for alias-table, user-file and spelling evidence
    kind VARCHAR,               -- same_article | defined_in_article | alias_table |
                                -- user_alias | same_name | near_spelling | surname
    detail VARCHAR
);

-- Derived: claim clusters and their provenance.
CREATE TABLE IF NOT EXISTS clusters (
    id VARCHAR PRIMARY KEY,     -- k1, k2...
    text VARCHAR,               -- the earliest claim's text
    n_claims INTEGER,
    n_articles INTEGER,
    n_outlets INTEGER,
    independent_origins INTEGER,
    circular BOOLEAN,
    circular_reason VARCHAR,
    first_seen VARCHAR,
    first_article_id VARCHAR,
    last_seen VARCHAR
);

CREATE TABLE IF NOT EXISTS claim_links (
    claim_a VARCHAR,
    claim_b VARCHAR,
    similarity DOUBLE
);

-- Two claims on one proposition that contradict each other: kept apart (never one
-- cluster) and linked here. claim_a < claim_b.
CREATE TABLE IF NOT EXISTS disputes (
    claim_a VARCHAR,
    claim_b VARCHAR,
    kind VARCHAR,               -- polarity ("will close" / "will not close") | figures
    similarity DOUBLE
);

CREATE TABLE IF NOT EXISTS provenance_nodes (
    cluster_id VARCHAR,
    node_id VARCHAR,            -- claim:<claim id> | origin:<key>
    kind VARCHAR,               -- claim | origin
    label VARCHAR,
    article_id VARCHAR,
    outlet VARCHAR,
    actor_id VARCHAR,
    source_type VARCHAR
);

CREATE TABLE IF NOT EXISTS provenance_edges (
    cluster_id VARCHAR,
    src VARCHAR,
    dst VARCHAR,
    kind VARCHAR,               -- cites | relays | earlier_report | repeats
    via JSON                    -- relays passed on the way, outermost first
);

CREATE TABLE IF NOT EXISTS origins (
    cluster_id VARCHAR,
    origin VARCHAR,             -- a node id, or several joined by " | " for a cycle
    label VARCHAR,
    n_claims INTEGER
);

CREATE TABLE IF NOT EXISTS timeline (
    cluster_id VARCHAR,
    seq INTEGER,
    article_id VARCHAR,
    outlet VARCHAR,
    published VARCHAR,
    kind VARCHAR                -- article | copy
);
"""

STORED_TABLES = (
    "articles",
    "duplicates",
    "minhashes",
    "minhash_bands",
    "attributions",
    "article_actors",
    "labels",
    "claims",
    "claim_vectors",
)
DERIVED_TABLES = (
    "actors",
    "actor_aliases",
    "actor_evidence",
    "clusters",
    "claim_links",
    "disputes",
    "provenance_nodes",
    "provenance_edges",
    "origins",
    "timeline",
)
ALL_TABLES = ("corpus_meta", *STORED_TABLES, *DERIVED_TABLES)
# Tables a corpus of an earlier 1.x schema may lack (1.0 had no band keys); the next build
# adds them, and readers do without.
LATER_TABLES = ("minhash_bands", "disputes")
# Columns added since 1.0 (table, column, type): the next build adds them; readers check.
LATER_COLUMNS = (("articles", "tier", "VARCHAR"),)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that is missing and record the schema version."""
    con.execute(DDL)
    for table, column, kind in LATER_COLUMNS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")
    con.execute(
        "INSERT OR REPLACE INTO corpus_meta VALUES ('schema_version', ?)",
        [CORPUS_SCHEMA_VERSION],
    )


def clear_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the derived tables before they are recomputed."""
    for table in DERIVED_TABLES:
        con.execute(f"DELETE FROM {table}")
