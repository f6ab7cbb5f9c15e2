"""Tests for phases/market.py and the accounts in agents/firms.py it books."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.model import SwarmModel
from swarmsim.phases import market

FIRMS = [
    {
        "name": "M",
        "strategy": "manipulative",
        "price": 1.5,
        "unit_cost": 0.8,
        "cost_saving": 0.3,
        "ad_cost": 0.02,
        "fixed_cost": 4.0,
    },
    {
        "name": "C",
        "strategy": "customer_centric",
        "price": 2.0,
        "unit_cost": 0.9,
        "ad_cost": 0.01,
        "fixed_cost": 1.0,
    },
    {
        "name": "X",
        "strategy": "mixed",
        "manipulation": 0.25,
        "price": 1.0,
        "unit_cost": 0.5,
        "cost_saving": 0.4,
    },
]


@pytest.fixture
def model() -> SwarmModel:
    scenario = {"graph": {"kind": "erdos_renyi", "n": 200, "mean_degree": 3}, "firms": FIRMS}
    return SwarmModel.from_scenario(scenario, seed=1)


def book(model: SwarmModel, purchase, contacts) -> None:
    """Book a step in which ``purchase`` was chosen (as the purchase phase counts it)."""
    model.consumers.purchase[:] = purchase
    for firm, c in zip(model.firms, contacts, strict=True):
        firm.sales = int(np.count_nonzero(purchase == firm.index))
        firm.ad_contacts = c
    market.step(model, 1)


def test_accounts_follow_the_documented_cost_formula(model):
    purchase = np.repeat([0, 1, 2, -1], [50, 30, 20, 100])
    book(model, purchase, [40, 10, 0])
    expected = {
        # sales, price, unit cost at m (unit_cost - cost_saving * m), ad contacts, ad cost, fixed
        "M": (50, 1.5, 0.8 - 0.3 * 1.0, 40, 0.02, 4.0),
        "C": (30, 2.0, 0.9, 10, 0.01, 1.0),
        "X": (20, 1.0, 0.5 - 0.4 * 0.25, 0, 0.01, 0.0),
    }
    for firm in model.firms:
        sales, price, unit, contacts, ad_cost, fixed = expected[firm.name]
        assert firm.sales == sales
        assert firm.unit_cost == pytest.approx(unit)
        assert firm.revenue == pytest.approx(price * sales)
        assert firm.cost == pytest.approx(unit * sales + ad_cost * contacts + fixed)
        assert firm.profit == firm.revenue - firm.cost
        assert firm.market_share == sales / 200


def test_shares_and_outside_option_sum_to_one(model):
    book(model, np.repeat([0, 1, 2, -1], [50, 30, 20, 100]), [0, 0, 0])
    assert model.outside_share == 0.5
    assert sum(f.market_share for f in model.firms) + model.outside_share == pytest.approx(1.0)
    book(model, np.full(200, -1), [0, 0, 0])
    assert model.outside_share == 1.0
    assert all(f.market_share == 0.0 and f.profit == -f.spec.fixed_cost for f in model.firms)


def test_unit_cost_never_goes_negative():
    firms = [{"name": "A", "strategy": "manipulative", "unit_cost": 0.1, "cost_saving": 0.5}]
    m = SwarmModel.from_scenario({"graph": {"kind": "complete", "n": 10}, "firms": firms})
    assert m.firms[0].unit_cost == 0.0


def test_boycott_share_and_mean_opinion_match_the_arrays(model):
    people = model.consumers
    people.boycott[:60, 0] = True
    people.boycott[::4, 2] = True
    people.opinion[:] = np.linspace(-1, 1, people.n)[:, None] * np.array([1.0, 0.5, -0.25])
    people.opinion[0, 1] = 0.9
    book(model, np.full(200, -1), [0, 0, 0])
    for f, firm in enumerate(model.firms):
        assert firm.boycott_share == people.boycott[:, f].mean()
        assert firm.mean_opinion == pytest.approx(people.opinion[:, f].mean())
    assert [f.boycott_share for f in model.firms] == [0.3, 0.0, 0.25]
    # the market: anyone boycotting any firm (60 + the 35 of every fourth beyond them)
    assert model.boycott_share == people.boycott.any(axis=1).mean() == 0.475
    assert model.mean_opinion == pytest.approx(people.opinion.mean())


def test_window_profit_accumulates_until_a_decision(model):
    purchase = np.repeat([0, 1, 2, -1], [50, 30, 20, 100])
    book(model, purchase, [40, 10, 0])
    first = [f.profit for f in model.firms]
    book(model, purchase, [40, 10, 0])
    assert [f.window_profit for f in model.firms] == pytest.approx([2 * p for p in first])
