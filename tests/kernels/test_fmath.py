"""Tests for kernels/fmath.py: an exponential accurate to 1 ulp, the same in NumPy and Numba."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from swarmsim.kernels import fmath

compiled_exp = njit(fmath.exp)


def ulps(got: np.ndarray, exact: np.ndarray) -> np.ndarray:
    return np.abs(got - exact) / np.spacing(exact)


def test_within_one_ulp_of_math_exp():
    gen = np.random.default_rng(3)
    x = np.concatenate([
        gen.uniform(-708.0, 709.0, 200_000),  # the whole range
        -gen.random(200_000) * 60.0,  # logit weights exp(U - max U)
        gen.uniform(-1e-3, 1e-3, 50_000),  # near 0, where exp(x) ~ 1 + x
        [0.0, -0.0, -708.0, 709.0, 1.0, -1.0],
    ])  # fmt: skip
    exact = np.array([math.exp(v) for v in x])
    assert ulps(fmath.exp(x), exact).max() <= 1.0


def test_edges_of_the_range():
    assert fmath.exp(0.0) == 1.0
    assert fmath.exp(-0.0) == 1.0
    assert fmath.exp(-708.5) == 0.0
    assert fmath.exp(-np.inf) == 0.0
    assert fmath.exp(1000.0) == fmath.exp(709.0)
    assert np.isfinite(fmath.exp(709.0))
    assert fmath.exp(np.array([[0.0, -1000.0]])).tolist() == [[1.0, 0.0]]


def test_array_and_scalar_calls_agree():
    x = np.linspace(-700, 700, 1001)
    np.testing.assert_array_equal(fmath.exp(x), [fmath.exp(float(v)) for v in x])


@settings(max_examples=300, deadline=None)
@given(x=st.floats(-750.0, 750.0))
def test_compiled_scalar_gives_the_same_bits_as_numpy(x):
    assert np.float64(compiled_exp(x)).view(np.uint64) == np.float64(fmath.exp(x)).view(np.uint64)
    assert fmath.exp(x) >= 0.0


def test_power_of_two_is_exact_over_its_whole_range():
    m = np.arange(-1022, 1024)
    exact = np.array([2.0 ** int(k) for k in m])
    np.testing.assert_array_equal(fmath.power_of_two(m), exact)
    compiled = njit(lambda k: fmath.power_of_two(k))
    assert [compiled(int(k)) for k in m] == exact.tolist()
