"""Tests of sourcetrace.evaluate.polnear, one file per module."""
