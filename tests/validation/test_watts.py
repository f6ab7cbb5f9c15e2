"""Tests for validation/watts.py: the generating-function theory and the check."""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

from swarmsim.cli import main
from swarmsim.validation import watts


def poisson_cdf(k: int, z: float) -> float:
    return sum(math.exp(-z) * z**j / math.factorial(j) for j in range(k + 1))


def bisect(f, lo: float, hi: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if (f(lo) > 0) == (f(mid) > 0) else (lo, mid)
    return (lo + hi) / 2


def test_vulnerable_degrees_match_the_kernel_inequality():
    assert watts.vulnerable_degrees(0.18).tolist() == [1, 2, 3, 4, 5]
    # share 1/5 >= 0.2 holds in floating point, as in the boycott kernel
    assert watts.vulnerable_degrees(0.2).tolist() == [1, 2, 3, 4, 5]
    assert watts.vulnerable_degrees(0.21).tolist() == [1, 2, 3, 4]
    assert watts.vulnerable_degrees(1.0).tolist() == [1]


def test_window_edges_solve_the_poisson_condition():
    # With vulnerable degrees 1..K and Poisson p_k, Σ k(k-1) p_k = z² P(Poisson(z) <= K-2),
    # so the window edges are the roots of z · P(Poisson(z) <= 3) = 1 for φ = 0.18.
    def condition(z):
        return z * poisson_cdf(3, z) - 1.0

    lower, upper = watts.cascade_window(0.18)
    assert lower == pytest.approx(bisect(condition, 0.5, 2.0), abs=1e-9)
    assert upper == pytest.approx(bisect(condition, 2.0, 20.0), abs=1e-9)
    assert 1.0 < lower < 1.05  # the lower edge is the percolation point z = 1, shifted slightly
    assert watts.cascade_condition(3.0, 0.18) > 0 > watts.cascade_condition(8.0, 0.18)


def test_no_window_when_only_leaves_are_vulnerable():
    assert watts.cascade_window(0.6) is None
    assert watts.cascade_probability(2.0, 0.6) == 0.0


def test_cascade_probability_is_the_giant_component_when_all_are_vulnerable():
    # φ tiny: every degree that matters is vulnerable, u = exp(-z(1-u)), P = 1 - u = S
    z = 3.0
    giant = bisect(lambda s: 1 - math.exp(-z * s) - s, 0.1, 1.0)
    assert watts.cascade_probability(z, 0.001) == pytest.approx(giant, abs=1e-9)


def test_cascade_probability_vanishes_outside_the_window():
    lower, upper = watts.cascade_window(0.18)
    assert watts.cascade_probability(0.9 * lower, 0.18) == 0.0
    assert watts.cascade_probability(upper + 0.1, 0.18) == 0.0
    inside = [watts.cascade_probability(z, 0.18) for z in np.linspace(1.2, 5.5, 10)]
    assert all(0.2 < p < 1.0 for p in inside)


def test_crossing_interpolates_between_grid_points():
    z = np.array([0.5, 1.0, 2.0, 5.0, 6.0])
    frequency = np.array([0.0, 0.2, 0.8, 0.3, 0.0])
    assert watts.crossing(z, frequency, 0.1, rising=True) == pytest.approx(0.75)
    assert watts.crossing(z, frequency, 0.1, rising=False) == pytest.approx(5.0 + 2 / 3)
    assert np.isnan(watts.crossing(z, frequency, 0.9, rising=True))


@pytest.fixture(scope="module")
def quick():
    return watts.run(watts.QUICK, seed=0)


def test_quick_check_passes(quick):
    assert quick.passed, [m for m in quick.metrics if not m.passed]
    names = [m.name for m in quick.metrics]
    assert any("lower window edge" in n for n in names)
    assert any("upper window edge" in n for n in names)
    assert any("(inside)" in n for n in names)
    assert any("(outside)" in n for n in names)


def test_quick_check_sees_cascades_inside_and_none_outside(quick):
    z, frequency = quick.data["z"], quick.data["frequency"]
    lower, upper = quick.data["window"]
    assert np.all(frequency[(z < 0.8 * lower) | (z > upper + 1.0)] == 0.0)
    assert frequency[z == 3.0][0] > 0.7


def test_check_fails_when_the_model_cannot_cascade(root, tmp_path):
    # The same scenario with an opinion condition that never holds: no cascades at all,
    # so the frequencies inside the window disagree with the theory.
    folder = tmp_path / "scenarios"
    folder.mkdir()
    data = yaml.safe_load((root / "scenarios/validation/watts_cascade.yaml").read_text())
    data["boycott"] = {"join_opinion": -0.5, "leave_opinion": 1.0}
    (folder / watts.SCENARIO).write_text(yaml.safe_dump(data))
    design = watts.Design(n=500, mean_degrees=(0.5, 3.0), replicates=20,
                          lower_tolerance=0.3, upper_tolerance=0.8)  # fmt: skip
    result = watts.run(design, seed=0, folder=folder)
    assert not result.passed
    failed = [m.name for m in result.metrics if not m.passed]
    assert "global-cascade frequency at z = 3 (inside)" in failed


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 22, 33])
def test_quick_check_is_stable_under_seed_changes(seed):
    result = watts.run(watts.QUICK, seed=seed)
    assert result.passed, [m for m in result.metrics if not m.passed]


@pytest.mark.parametrize("threshold", [0.6, {"kind": "uniform", "low": 0.1, "high": 0.2}])
def test_scenario_without_a_window_is_bad_input(root, tmp_path, threshold, capsys):
    data = yaml.safe_load((root / "scenarios/validation/watts_cascade.yaml").read_text())
    data["consumers"]["threshold"] = threshold
    (tmp_path / watts.SCENARIO).write_text(yaml.safe_dump(data))
    code = main(["check-model", "--quick", "--only", "watts_cascade", "--scenarios", str(tmp_path)])
    assert code == 2
    assert "consumers.threshold: expected a fixed value <= 0.5" in capsys.readouterr().err
