"""Tests for validation/common.py: stepping to a fixed point, seeds and statistics."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.errors import SwarmsimError
from swarmsim.model import SwarmModel
from swarmsim.validation import common


def test_run_until_stable_stops_at_the_fixed_point():
    spec = common.load_check_scenario("threshold_exact.yaml", None, {"graph.n": 20})
    model = SwarmModel(spec, seed=3)
    taken = common.run_until_stable(model, lambda m: m.consumers.boycott, 100)
    before = model.consumers.boycott.copy()
    model.step()
    assert taken >= 1
    assert np.array_equal(before, model.consumers.boycott)


def test_run_until_stable_raises_when_the_state_keeps_changing():
    spec = common.load_check_scenario("threshold_exact.yaml", None, {"graph.n": 20})
    model = SwarmModel(spec, seed=3)
    with pytest.raises(RuntimeError, match="no fixed point within 2 steps"):
        common.run_until_stable(model, lambda m: np.array([m.steps]), 2)


def test_replicate_seeds_differ_between_base_seeds():
    first = {common.replicate_seed(0, r) for r in range(100)}
    second = {common.replicate_seed(1, r) for r in range(100)}
    assert len(first) == 100
    assert not first & second
    assert all(0 <= s < 2**62 for s in first)
    assert common.replicate_seed(0, 5) == common.replicate_seed(0, 5)


def test_binomial_pvalue_handles_impossible_and_certain_events():
    assert common.binomial_pvalue(0, 50, 0.0) == 1.0
    assert common.binomial_pvalue(1, 50, 0.0) == 0.0
    assert common.binomial_pvalue(50, 50, 1.0) == 1.0
    assert common.binomial_pvalue(25, 50, 0.5) == pytest.approx(1.0)
    assert common.binomial_pvalue(5, 100, 0.5) < 1e-15


def test_r_squared():
    observed = np.array([0.0, 1.0, 2.0, 3.0])
    assert common.r_squared(observed, observed) == 1.0
    assert common.r_squared(observed, np.full(4, observed.mean())) == 0.0


def test_missing_scenario_folder_names_the_remedy(tmp_path):
    with pytest.raises(SwarmsimError, match="file not found"):
        common.load_check_scenario("watts_cascade.yaml", tmp_path)
