"""Tests for lab/ceiling.py: the loops compute what they claim, at any thread count."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from swarmsim.lab import ceiling


@pytest.fixture
def threads():
    before = numba.get_num_threads()
    yield
    numba.set_num_threads(before)


def test_triad_sets_a_to_b_plus_s_times_c():
    b, c = np.arange(1000.0), np.linspace(-1.0, 1.0, 1000)
    a = np.zeros(1000)
    ceiling.triad(a, b, c, 3.0)
    np.testing.assert_array_equal(a, b + 3.0 * c)


@pytest.mark.parametrize("parts", [1, 2, 7])
def test_gather_sums_the_indexed_values(parts):
    values = np.arange(50.0)  # small integers: every partial sum is exact
    index = np.random.default_rng(3).integers(0, 50, 1001)
    assert ceiling.gather(values, index, parts) == values[index].sum()


def test_arithmetic_chains_are_splitmix_mixes():
    def chain(start, rounds):
        h = start
        for _ in range(rounds):
            h = ((h ^ (h >> 31)) * 0x94D049BB133111EB) % 2**64
        return h

    ends = ceiling.arithmetic(3, 17)
    assert [int(end) for end in ends] == [chain(start, 17) for start in (1, 2, 3)]


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")
def test_measure_reports_both_thread_counts_and_their_ratio(threads):
    result = ceiling.measure(20_000, repeats=1)
    assert set(result) == {"stream", "gather", "arithmetic"}
    for loop in result.values():
        assert loop["1_thread"] > 0
        assert loop["2_threads"] > 0
        assert loop["speedup"] == pytest.approx(loop["2_threads"] / loop["1_thread"])
    assert result["stream"]["unit"] == "GB/s"
