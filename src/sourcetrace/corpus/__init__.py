"""The corpus: many analysed articles in one DuckDB file, actors linked across them, claims
clustered across outlets, and each claim's provenance. ``build`` writes it; ``query`` is the
one read API."""
