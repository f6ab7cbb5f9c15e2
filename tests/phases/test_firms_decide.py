"""Tests for phases/firms_decide.py and the rules in agents/firms.py it applies."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from swarmsim.agents.firms import choose_arm, fermi_probability
from swarmsim.kernels import rng
from swarmsim.model import SwarmModel
from swarmsim.phases.firms_decide import phase as firms_decide

# ------------------------------------------------------------------------ Fermi rule


def test_fermi_probability_is_one_half_without_a_gain():
    assert fermi_probability(0.0, 0.01) == 0.5
    assert fermi_probability(0.0, 100.0) == 0.5


def test_fermi_probability_values():
    assert fermi_probability(0.01, 0.01) == pytest.approx(1 / (1 + math.exp(-1)))
    assert fermi_probability(-0.02, 0.01) == pytest.approx(1 / (1 + math.exp(2)))
    assert fermi_probability(-1e6, 1e-3) == 0.0  # no overflow far below
    assert fermi_probability(1e6, 1e-3) == 1.0


@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(1e-3, 10), st.floats(0.1, 10))
def test_fermi_probability_is_monotone_symmetric_and_scales_with_k(a, b, k, c):
    low, high = sorted((a, b))
    assert fermi_probability(low, k) <= fermi_probability(high, k)
    assert fermi_probability(a, k) + fermi_probability(-a, k) == pytest.approx(1.0)
    assert fermi_probability(c * a, c * k) == pytest.approx(fermi_probability(a, k))


def test_larger_k_means_noisier_imitation():
    assert fermi_probability(0.01, 0.001) > fermi_probability(0.01, 0.1) > 0.5


# --------------------------------------------------------------------------- bandit


def test_untried_arms_are_tried_first_in_order():
    values = np.array([5.0, 0.0, 9.0])
    assert choose_arm(values, np.array([0, 0, 0]), "epsilon_greedy", 0.1, 0.01, 0.9, 0.9) == 0
    assert choose_arm(values, np.array([1, 0, 0]), "softmax", 0.1, 0.01, 0.9, 0.9) == 1
    assert choose_arm(values, np.array([1, 3, 0]), "epsilon_greedy", 1.0, 0.01, 0.0, 0.0) == 2


def test_epsilon_greedy_exploits_the_best_mean_and_explores_uniformly():
    values, pulls = np.array([0.1, 0.5, 0.2]), np.array([2, 2, 2])
    assert choose_arm(values, pulls, "epsilon_greedy", 0.1, 0.01, 0.1, 0.0) == 1  # u >= ε
    assert choose_arm(np.array([0.5, 0.5, 0.2]), pulls, "epsilon_greedy", 0.1, 0.01, 0.5, 0) == 0
    explored = [
        choose_arm(values, pulls, "epsilon_greedy", 0.1, 0.01, 0.05, u)
        for u in (0.0, 0.34, 0.67, 0.999999)
    ]
    assert explored == [0, 1, 2, 2]


def test_softmax_picks_arms_with_boltzmann_probabilities():
    values, pulls, temperature = np.array([0.0, 0.01, 0.03]), np.ones(3, dtype=int), 0.01
    grid = (np.arange(100_000) + 0.5) / 100_000
    picks = [choose_arm(values, pulls, "softmax", 0.0, temperature, 0.0, u) for u in grid[::10]]
    freq = np.bincount(picks, minlength=3) / len(picks)
    expected = np.exp(values / temperature) / np.exp(values / temperature).sum()
    np.testing.assert_allclose(freq, expected, atol=2e-4)


# ---------------------------------------------------------------------- the phase


def model(rule="imitate", every=1, firms=None, **adaptation) -> SwarmModel:
    firms = firms or [
        {"name": "Low", "strategy": "manipulative"},
        {"name": "High", "strategy": "customer_centric"},
    ]
    scenario = {
        "graph": {"kind": "erdos_renyi", "n": 100, "mean_degree": 3},
        "adaptation": {"rule": rule, "every": every, "fermi_noise": 1e-6, "mutation": 0.0,
                       "recency": 0.0, **adaptation},
        "firms": firms,
    }
    return SwarmModel.from_scenario(scenario, seed=1)


def set_profits(m: SwarmModel, *profits: float) -> None:
    """Profits summed over a full window of `adaptation.every` booked steps."""
    for firm, profit in zip(m.firms, profits, strict=True):
        firm.window_profit = profit
    m.window_steps = m.spec.adaptation.every


def test_imitate_copies_the_more_profitable_firm():
    m = model()
    set_profits(m, 0.0, 50.0)
    firms_decide.step(m, 1)
    assert [f.manipulation for f in m.firms] == [0.0, 0.0]
    assert [f.strategy for f in m.firms] == ["customer_centric", "customer_centric"]
    assert all(f.window_profit == 0.0 for f in m.firms)  # a new window starts


def test_imitate_never_copies_a_less_profitable_firm_when_k_is_small():
    m = model()
    set_profits(m, 50.0, 0.0)  # now the manipulator earns more
    firms_decide.step(m, 1)
    assert [f.manipulation for f in m.firms] == [1.0, 1.0]  # only the poorer firm switched


def test_imitation_uses_profit_per_consumer_per_step():
    copies = []
    for t in range(2, 80, 2):
        m = model(every=2, fermi_noise=0.05)  # n = 100: a gain of 10 is 0.05 per consumer-step
        set_profits(m, 0.0, 10.0)
        firms_decide.step(m, t)
        u_copy = rng.uniform(m.seed, firms_decide.STREAM, t, 0, 1)
        assert (m.firms[0].manipulation == 0.0) == bool(u_copy < 1 / (1 + math.exp(-1)))
        copies.append(m.firms[0].manipulation == 0.0)
    assert 0 < sum(copies) < len(copies)


def test_imitate_picks_among_the_other_firms_only():
    firms = [
        {"name": "A", "strategy": "manipulative"},
        {"name": "B", "strategy": "mixed"},
        {"name": "C", "strategy": "customer_centric"},
    ]
    copied = set()
    for t in range(1, 40):
        m = model(firms=firms)
        set_profits(m, 0.0, 100.0, 100.0)
        firms_decide.step(m, t)
        copied.add(m.firms[0].manipulation)
    assert copied == {0.5, 0.0}  # A always copies, and both others get picked


def test_decisions_only_every_adaptation_every_steps():
    m = model(every=5)
    for t in range(1, 5):
        set_profits(m, 0.0, 50.0)
        firms_decide.step(m, t)
        assert m.firms[0].manipulation == 1.0
        assert m.firms[1].window_profit == 50.0  # the window keeps running
    firms_decide.step(m, 5)
    assert m.firms[0].manipulation == 0.0


def test_non_adaptive_firms_never_change():
    m = model(
        firms=[
            {"name": "Low", "strategy": "manipulative", "adaptive": False},
            {"name": "High", "strategy": "customer_centric"},
        ]
    )
    for t in range(1, 10):
        set_profits(m, 0.0, 50.0)
        firms_decide.step(m, t)
    assert m.firms[0].manipulation == 1.0


def test_fixed_rule_never_changes_anything():
    m = model(rule="fixed").run(25)
    assert [f.manipulation for f in m.firms] == [1.0, 0.0]


def test_learn_updates_the_played_arm_and_tries_untried_arms():
    m = model(rule="learn", every=2, firms=[{"name": "F", "strategy": "mixed"}])
    firm = m.firms[0]
    assert firm.arms == (0.0, 0.5, 1.0)
    firm.window_profit = 300.0  # 300 / (every · n) = 1.5 per consumer per step
    m.window_steps = 2
    firms_decide.step(m, 2)
    np.testing.assert_array_equal(firm.arm_pulls, [0, 1, 0])
    assert firm.arm_value[1] == pytest.approx(1.5)
    assert firm.manipulation == 0.0  # the first untried arm
    firm.window_profit = 100.0
    m.window_steps = 2
    firms_decide.step(m, 4)
    assert firm.arm_value[0] == pytest.approx(0.5)
    assert firm.manipulation == 1.0
    firm.window_profit = -200.0
    m.window_steps = 2
    firms_decide.step(m, 6)
    assert firm.arm_value.tolist() == pytest.approx([0.5, 1.5, -1.0])
    assert firm.manipulation in firm.arms


def test_greedy_learner_settles_on_the_best_arm():
    m = model(rule="learn", every=1, epsilon=0.0, firms=[{"name": "F", "strategy": "mixed"}])
    firm = m.firms[0]
    payoff = {0.0: 10.0, 0.5: 30.0, 1.0: 20.0}
    for t in range(1, 10):
        firm.window_profit = payoff[firm.manipulation]
        firms_decide.step(m, t)
    assert firm.manipulation == 0.5
    assert firm.arm_pulls.sum() == 9


def test_window_profit_is_averaged_over_the_steps_actually_booked():
    # the first window holds steps 1..every-1 (a decision at t = every precedes that
    # step's market phase), later windows hold `every` steps
    m = model(every=4)
    m.run(3)
    assert m.window_steps == 3
    m.step()  # t = 4: decide (window reset), then book step 4
    assert m.window_steps == 1


def test_mutation_tries_the_firms_own_arms_at_the_documented_rate():
    tried, explored = set(), 0
    for t in range(1, 401):
        m = model(mutation=0.25)
        set_profits(m, 0.0, 50.0)  # pure imitation would always copy m = 0
        firms_decide.step(m, t)
        explores = rng.uniform(m.seed, firms_decide.STREAM, t, 0, 2) < 0.25
        explored += bool(explores)
        if explores:
            tried.add(m.firms[0].manipulation)
        else:
            assert m.firms[0].manipulation == 0.0
    assert tried == {0.0, 1.0}  # the manipulator's arms {0, 1}
    assert explored / 400 == pytest.approx(0.25, abs=0.06)


def test_mutation_keeps_imitating_firms_from_locking_in():
    firms = [{"name": n, "strategy": "manipulative"} for n in "ABC"]
    locked = model(firms=firms, every=2).run(60)
    exploring = model(firms=firms, every=2, mutation=0.3).run(60)
    assert {f.manipulation for f in locked.firms} == {1.0}  # nobody else to copy
    assert any(f.manipulation == 0.0 for f in exploring.firms)


def test_recency_lets_the_learner_leave_an_arm_that_stopped_paying():
    def learner(recency):
        m = model(rule="learn", every=1, epsilon=0.0, recency=recency,
                  firms=[{"name": "F", "strategy": "mixed"}])  # fmt: skip
        firm = m.firms[0]
        for t in range(1, 41):
            good = t <= 30  # m = 0.5 pays best, then worst
            firm.window_profit = {0.0: 10.0, 0.5: 40.0 if good else -10.0, 1.0: 20.0}[
                firm.manipulation
            ]
            firms_decide.step(m, t)
        return firm.manipulation

    assert learner(0.0) == 0.5  # a plain mean remembers 30 good windows
    assert learner(0.5) == 1.0  # a forgetting one moves to the best arm now
