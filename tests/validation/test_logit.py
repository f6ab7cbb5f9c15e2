"""Tests for validation/logit.py: closed-form logit shares and the market check."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from swarmsim.validation import logit
from swarmsim.validation.common import load_check_scenario


def test_logit_shares_by_hand():
    spec = load_check_scenario(logit.SCENARIO, None, {"graph.n": 100})
    # U_f = 2·0.2 + 2·0.6 − price = 1.6 − price; outside 1
    weights = np.exp([1.0, 1.6 - 0.8, 1.6 - 1.0, 1.6 - 1.4])
    assert logit.logit_shares(spec) == pytest.approx(weights / weights.sum(), rel=1e-12)


def test_boycotters_take_the_outside_option():
    base = load_check_scenario(logit.SCENARIO, None, {"graph.n": 100})
    spec = load_check_scenario(
        logit.SCENARIO, None, logit.resolve({"seeding.boycotters": 0.25}, 100)
    )
    assert spec.seeding.boycotters == 25
    shares = logit.logit_shares(spec)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[1:] == pytest.approx(0.75 * logit.logit_shares(base)[1:])


def test_quick_check_passes():
    result = logit.run(logit.QUICK, seed=0)
    assert result.passed, [m for m in result.metrics if not m.passed]
    assert len(result.metrics) == 2 * len(logit.CASES)


def test_counts_reject_the_wrong_shares():
    # The test has power: the model's counts at price 1.0 against shares computed
    # for the middle firm at price 1.1 are rejected.
    spec = load_check_scenario(logit.SCENARIO, None, {"graph.n": 2000})
    wrong = load_check_scenario(logit.SCENARIO, None, {"graph.n": 2000, "firms.1.price": 1.1})
    counts = logit.simulate_counts(spec, 20, seed=0)
    assert stats.chisquare(counts, counts.sum() * logit.logit_shares(spec)).pvalue > 0.01
    assert stats.chisquare(counts, counts.sum() * logit.logit_shares(wrong)).pvalue < 1e-6


@pytest.mark.slow
@pytest.mark.parametrize("seed", [5, 6, 7])
def test_full_check_is_stable_under_seed_changes(seed):
    assert logit.run(logit.FULL, seed=seed).passed
