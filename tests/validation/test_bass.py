"""Tests for validation/bass.py: the Bass curve, the recursion and the diffusion check."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.validation import bass
from swarmsim.validation.common import r_squared


def test_bass_curve_starts_at_zero_with_slope_p_and_saturates():
    p, q = 0.03, 0.38
    assert bass.bass_curve(np.array([0.0]), p, q)[0] == 0.0
    h = 1e-6
    assert bass.bass_curve(np.array([h]), p, q)[0] / h == pytest.approx(p, rel=1e-4)
    assert bass.bass_curve(np.array([200.0]), p, q)[0] == pytest.approx(1.0)


def test_bass_curve_solves_the_bass_equation():
    p, q = 0.02, 0.3
    t = np.linspace(0.0, 40.0, 4001)
    f = bass.bass_curve(t, p, q)
    slope = np.gradient(f, t)
    assert slope[1:-1] == pytest.approx(((p + q * f) * (1 - f))[1:-1], abs=1e-6)


def test_horizon_reaches_the_level():
    for p, q in [(0.01, 0.2), (0.03, 0.38)]:
        steps = bass.horizon(p, q)
        assert bass.bass_curve(np.array([steps - 1.0, float(steps)]), p, q).tolist()[1] >= 0.995
        assert bass.bass_curve(np.array([steps - 1.0]), p, q)[0] < 0.995


def test_mean_field_without_imitation_is_geometric():
    steps, p = 30, 0.05
    expected = 1.0 - (1.0 - p) ** np.arange(steps + 1)
    assert bass.mean_field(steps, p, 0.0, 1000) == pytest.approx(expected, abs=1e-12)


@pytest.fixture(scope="module")
def quick():
    return bass.run(bass.QUICK, seed=0)


def test_quick_check_passes(quick):
    assert quick.passed, [m for m in quick.metrics if not m.passed]
    assert len(quick.metrics) == 2 * len(bass.QUICK.pairs)


def test_adoption_is_monotone_and_near_complete(quick):
    for curve in quick.data["curves"]:
        assert np.all(np.diff(curve["model"]) >= 0.0)
        assert curve["model"][0] == 0.0
        assert curve["model"][-1] > 0.95


def test_r_squared_rejects_the_wrong_imitation_rate(quick):
    curve = quick.data["curves"][0]
    t = np.arange(curve["model"].size, dtype=np.float64)
    wrong = bass.bass_curve(t, curve["p"], 2.5 * curve["q"])
    assert r_squared(curve["model"], wrong) < bass.QUICK.min_r_squared


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 4])
def test_quick_check_is_stable_under_seed_changes(seed):
    result = bass.run(bass.QUICK, seed=seed)
    assert result.passed, [m for m in result.metrics if not m.passed]
