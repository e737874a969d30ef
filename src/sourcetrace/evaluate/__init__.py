"""Evaluation against annotated corpora (``polnear``: the PolNeAR attribution corpus)."""
