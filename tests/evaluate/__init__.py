"""Tests of sourcetrace.evaluate."""
