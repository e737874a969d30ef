"""A cross-encoder in ``pairs.decide``: it reads only what the small model passes on, and
decides those; the trained weights round-trip through save and load."""

from __future__ import annotations

import numpy as np
import pytest

from sourcetrace.corpus import cross, pairs

from .test_pairs import FixedModel, _no_encoder


class FixedReader:
    """A cross-encoder stand-in: one probability for every pair it reads."""

    def __init__(self, prob: float, threshold: float = 0.5, floor: float = 0.3) -> None:
        self.prob, self.threshold, self.floor = prob, threshold, floor
        self.read: list[tuple[str, str]] = []

    def probabilities(self, texts):
        self.read.extend(texts)
        return np.full(len(texts), self.prob)


PAIR = ("The mayor resigned on Friday.", "On Friday the mayor quit.")


@pytest.mark.parametrize("small, reader_prob, read, same", [
    (0.2, 0.99, False, False),   # under the floor: never read, not the same claim
    (0.4, 0.9, True, True),      # the small model alone would say no; the reader says yes
    (0.95, 0.1, True, False),    # the small model would say yes; the reader says no
])
def test_the_reader_decides_what_the_small_model_passes_on(small, reader_prob, read, same):
    reader = FixedReader(reader_prob)
    [d] = pairs.decide([PAIR], [0.8], _no_encoder, FixedModel(small), cross=reader)  # type: ignore[arg-type]
    assert bool(reader.read) is read and d.same is same and d.dispute is None
    if read:
        assert d.score == pytest.approx(reader_prob)


def test_cheap_steps_and_no_reader_leave_the_reader_out():
    reader = FixedReader(0.99)
    identical = ("The port will reopen.", "the port will reopen")
    got = pairs.decide([identical, PAIR], [0.99, 0.3], _no_encoder, FixedModel(0.9),  # type: ignore[arg-type]
                       cross=reader)
    assert [d.same for d in got] == [True, False] and reader.read == []
    [d] = pairs.decide([PAIR], [0.8], _no_encoder, FixedModel(0.9), cross=False)  # type: ignore[arg-type]
    assert d.same is True


def test_saved_weights_load_back_and_score_pairs(tmp_path):
    pytest.importorskip("torch")
    model, _tok = cross.build_model()
    cross.save_model(model, tmp_path, {"threshold": 0.7})
    cross.set_threshold(tmp_path, 0.8, floor=0.25)
    loaded = cross.load_model(tmp_path)
    assert (loaded.threshold, loaded.floor) == (0.8, 0.25)
    probs = loaded.probabilities([PAIR, (PAIR[1], PAIR[0]), ("a", "b")])
    assert probs.shape == (3,) and np.all((probs > 0) & (probs < 1))


def test_a_folder_without_weights_is_an_oserror(tmp_path):
    with pytest.raises(OSError, match="train claims --mrpc DIR --cross"):
        cross.load_model(tmp_path)
