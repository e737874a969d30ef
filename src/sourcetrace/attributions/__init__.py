"""Attributions: who is said to have said what, found by rules over the dependency parse
(``rules/``, driven by ``extract.py``) and a trained tagger (``encoder.py``)."""
