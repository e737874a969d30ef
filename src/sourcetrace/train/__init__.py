"""Training sourcetrace's models: ``attribution`` (the attribution encoder, on PolNeAR)
and ``claims`` (the claim pair model, on MRPC). ``main`` is the attribution trainer's,
kept here for ``sourcetrace train attribution``."""

from .attribution import DEFAULTS, gold_spans, main, span_scores, train, training_windows

__all__ = ["DEFAULTS", "gold_spans", "main", "span_scores", "train", "training_windows"]
