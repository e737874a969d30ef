"""sourcetrace: who says so? Traces every claim in a news article to its source.

The stages, in the order data flows through them: ``ingest`` -> ``model`` (the article and
its record) -> ``nlp`` -> ``attributions`` -> ``actors`` -> ``link``, ``labels``,
``voice``, ``profile`` -> ``pipeline`` -> ``reports``, ``engine``, ``run`` -> ``corpus`` ->
``evaluate``, ``train``, ``web`` -> ``cli``. DEVELOPERS.md maps each to its modules.
"""
