"""Tests for agents/firms.py: Firm agents, strategies and accounts.

The Fermi rule and the bandit (``fermi_probability``, ``choose_arm``) are tested with
the phase that applies them, in tests/phases/test_firms_decide.py.
"""

from __future__ import annotations

import mesa
import pytest

from swarmsim.agents.firms import Firm, strategy_label
from swarmsim.model import SwarmModel

FIRMS = [
    {
        "name": "M",
        "strategy": "manipulative",
        "quality": 0.7,
        "quality_cut": 0.2,
        "unit_cost": 0.6,
        "cost_saving": 0.2,
    },
    {"name": "C", "strategy": "customer_centric", "quality": 0.7, "quality_cut": 0.2},
    {"name": "X", "strategy": "mixed", "manipulation": 0.25, "quality": 0.1, "quality_cut": 0.8},
]


@pytest.fixture
def model() -> SwarmModel:
    return SwarmModel.from_scenario({"graph": {"kind": "complete", "n": 20}, "firms": FIRMS})


def test_firms_are_mesa_agents_in_scenario_order(model):
    assert all(isinstance(f, mesa.Agent) for f in model.firms)
    assert [f.name for f in model.firms] == ["M", "C", "X"]
    assert [f.index for f in model.firms] == [0, 1, 2]
    assert set(model.agents_by_type[Firm]) == set(model.firms)


def test_strategy_sets_the_manipulation_weight(model):
    assert [f.manipulation for f in model.firms] == [1.0, 0.0, 0.25]
    assert [f.strategy for f in model.firms] == ["manipulative", "customer_centric", "mixed"]


@pytest.mark.parametrize(
    ("m", "label"),
    [(1.0, "manipulative"), (0.0, "customer_centric"), (0.5, "mixed"), (0.999, "mixed")],
)
def test_strategy_label(m, label):
    assert strategy_label(m) == label


def test_strategy_follows_a_changed_weight(model):
    firm = model.firms[2]
    firm.manipulation = 1.0
    assert firm.strategy == "manipulative"


def test_quality_is_cut_by_manipulation_and_floored_at_zero(model):
    manip, care, mixed = model.firms
    assert manip.quality == pytest.approx(0.5)
    assert care.quality == 0.7
    assert mixed.quality == 0.0  # 0.1 - 0.8 * 0.25 < 0
    mixed.manipulation = 0.0
    assert mixed.quality == 0.1


def test_unit_cost_falls_with_manipulation(model):
    manip, care, _ = model.firms
    assert manip.unit_cost == pytest.approx(0.4)
    assert care.unit_cost == 0.6


def test_book_sets_accounts_and_accumulates_the_window(model):
    firm = model.firms[1]  # price 1, unit cost 0.6, ad cost 0.01, fixed 0
    firm.book(10, 100, 20)
    assert (firm.sales, firm.ad_contacts) == (10, 100)
    assert firm.revenue == 10.0
    assert firm.cost == pytest.approx(10 * 0.6 + 100 * 0.01)
    assert firm.profit == pytest.approx(3.0)
    assert firm.market_share == 0.5
    firm.book(0, 0, 20)
    assert firm.profit == 0.0
    assert firm.market_share == 0.0
    assert firm.window_profit == pytest.approx(3.0)


def test_bandit_arms_are_the_pure_strategies_and_the_initial_weight(model):
    assert [f.arms for f in model.firms] == [(0.0, 1.0), (0.0, 1.0), (0.0, 0.25, 1.0)]
    assert all(f.arm_pulls.sum() == 0 and f.arm_value.sum() == 0.0 for f in model.firms)
