"""Array placement: starts kept apart modulo 2**28, layouts and values as NumPy's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque

import numpy as np
import pytest

from swarmsim.kernels import placement
from swarmsim.kernels.placement import ALIAS_PERIOD, CLEARANCE
from swarmsim.model import SwarmModel
from swarmsim.scenario import load_scenario


def distance(a: int, b: int) -> int:
    """Distance between two addresses modulo the alias period."""
    gap = (a - b) % ALIAS_PERIOD
    return min(gap, ALIAS_PERIOD - gap)


@pytest.fixture
def fresh(monkeypatch):
    """An empty record of placed starts."""
    monkeypatch.setattr(placement, "_placed", deque(maxlen=512))
    return placement._placed


def test_a_start_on_a_placed_one_moves_to_the_first_clear_candidate(fresh):
    fresh.append(12_345 * 64)
    starts = 12_345 * 64 + 3 * ALIAS_PERIOD + placement._STEP * np.arange(10)
    chosen = placement._clearest(starts, column_bytes=8 << 20, columns=1)
    assert distance(starts[chosen], fresh[0]) >= CLEARANCE
    assert all(distance(s, fresh[0]) < CLEARANCE for s in starts[:chosen])


def test_every_column_of_a_candidate_is_kept_clear(fresh):
    column = 40 << 20
    fresh.append(5 * ALIAS_PERIOD + column)  # aliases the second column of candidate 0
    starts = placement._STEP * np.arange(400)
    chosen = placement._clearest(starts, column_bytes=column, columns=3)
    assert chosen > 0
    assert distance(starts[chosen] + column, fresh[0]) >= CLEARANCE


def test_placed_arrays_are_column_major_aligned_and_apart(fresh):
    arrays = [placement.placed_empty((300_000, 3), np.float64) for _ in range(4)]
    arrays.append(placement.placed_empty((2_000_000,), np.bool_))
    starts = [a.ctypes.data + c * a.strides[1] for a in arrays[:4] for c in range(3)]
    starts.append(arrays[4].ctypes.data)
    for a in arrays:
        assert a.flags.f_contiguous
        assert a.flags.writeable
        assert a.ctypes.data % 64 == 0
    assert all(distance(a, b) >= CLEARANCE for i, a in enumerate(starts) for b in starts[:i])
    assert list(fresh) == [s % ALIAS_PERIOD for s in starts]


def test_placed_full_and_copy_hold_numpy_values(fresh):
    values = np.arange(200_000, dtype=np.int64)
    np.testing.assert_array_equal(placement.placed_copy(values), values)
    full = placement.placed_full((100_000, 2), -1, np.int64)
    np.testing.assert_array_equal(full, np.full((100_000, 2), -1, dtype=np.int64, order="F"))
    assert full.flags.f_contiguous
    assert len(fresh) == 3  # one start for the copy, one per column of the full array


def test_small_arrays_are_plain_numpy(fresh):
    small = placement.placed_empty((1000, 5), np.float64)
    assert small.flags.f_contiguous
    assert small.shape == (1000, 5)
    assert not fresh


def test_the_model_state_is_placed(small):
    small["graph"]["n"] = 50_000  # (n, 3) float64 columns of 1.2 MB
    model = SwarmModel(load_scenario(small))
    people = model.consumers
    state = (people.opinion, people.expectation, people.loyalty, people.pressure)
    for array in (*state, model.neighbour_weight, model.talk_factor):
        assert array.base is not None
        assert array.base.dtype == np.uint8
        assert array.ctypes.data % 64 == 0
    assert (people.purchase == -1).all()
    assert (people.loyalty == 0.0).all()


def test_the_environment_switches_placement_off():
    code = (
        "from swarmsim.kernels import placement; import numpy as np; "
        "a = placement.placed_empty((10**6,), np.float64); "
        "print(placement._ENABLED, a.base is None or a.base.nbytes == a.nbytes)"
    )
    for setting, expected in (("0", "False True"), ("1", "True False")):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "SWARMSIM_PLACEMENT": setting},
        )  # fmt: skip
        assert done.stdout.split() == expected.split()
