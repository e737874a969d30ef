"""The read API over a corpus: plain functions taking a DuckDB connection, returning dicts.

One function per question, used by ``sourcetrace corpus`` (commands and report) and by the
web explorer (``sourcetrace.web.views``), which hands them the connection its store holds.
Open a corpus with ``sourcetrace.corpus.db.connect(path)``. Where the command line and the
web pages want different shapes of the same thing, a keyword says which:

- ``stats(con)``, ``overview(con, limit=)``, ``outlet_profiles(con)``,
  ``outlet_counts(con)``: the corpus at a glance;
- ``articles(con, outlet=, limit=, offset=)``, ``article(con, id)``, ``stored_id(con, record)``;
- ``claims(con, min_articles, limit, order="outlets"|"articles", offset=)``,
  ``count_claims(con, min_articles)``, ``claim(con, id, view="tree"|"page")``,
  ``search_claims(con, q, limit)``, ``with_outlet_counts(con, clusters)``;
- ``actor(con, key, by="name"|"id")``, ``find_actors(con, name, limit)``,
  ``list_actors(con, limit, offset=, type_=)``, ``count_actors(con, type_)``;
- ``search(con, q, outlet=, limit=)``: articles, claims and actors;
- ``disputes(con, claim_id)``, ``cluster_disputes(con, cluster_id)``,
  ``disputed_claims(con, limit, offset=)``, ``count_disputes(con)``: claims that
  contradict each other;
- ``provenance_graph(nodes, edges, titles)``, ``graph_rows(graph)``: a claim's graph drawn.

Lookups of one thing return None when it is not there; callers say what is missing.
Outlets: rows that show an article's outlet carry ``outlet_label`` (the outlet, or a
readable stand-in marked "(unknown outlet)", never an article id; ``name_outlets``), and
cluster rows count known outlets only (``n_outlets``) and articles with none apart
(``n_no_outlet``).
"""

from __future__ import annotations

from .actors import (
    ABOUT_ARTICLE_LIMIT,
    STATEMENT_LIMIT,
    actor,
    count_actors,
    find_actors,
    list_actors,
)
from .articles import article, articles, stored_id
from .claims import (
    MAX_CLAIM_ROWS,
    MAX_GRAPH_EDGES,
    claim,
    claims,
    count_claims,
    search_claims,
    with_outlet_counts,
)
from .disputes import cluster_disputes, count_disputes, disputed_claims, disputes
from .graph import graph_rows, provenance_graph
from .overview import outlet_counts, outlet_profiles, overview, stats
from .rows import name_outlets
from .search import search

__all__ = [
    "ABOUT_ARTICLE_LIMIT",
    "MAX_CLAIM_ROWS",
    "MAX_GRAPH_EDGES",
    "STATEMENT_LIMIT",
    "actor",
    "article",
    "articles",
    "claim",
    "claims",
    "cluster_disputes",
    "count_actors",
    "count_claims",
    "count_disputes",
    "disputed_claims",
    "disputes",
    "find_actors",
    "graph_rows",
    "list_actors",
    "name_outlets",
    "outlet_counts",
    "outlet_profiles",
    "overview",
    "provenance_graph",
    "search",
    "search_claims",
    "stats",
    "stored_id",
    "with_outlet_counts",
]
