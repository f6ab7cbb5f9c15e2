"""Tests for phases/purchase.py and its kernel reference.choose_purchases."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.model import SwarmModel
from swarmsim.phases.purchase import phase as purchase
from swarmsim.phases.purchase.reference import choose_purchases
from swarmsim.phases.purchase.spec import PurchaseParams

SEED, STREAM, T = 11, purchase.STREAM, 4
NO_BUYCOTT = {"buycott_pull": 0.0, "buycott_opinion": 1.0}
PARAMS = PurchaseParams(
    beta_opinion=2.0, beta_quality=1.5, beta_loyalty=1.0, beta_price=0.8, outside_utility=0.5,
    **NO_BUYCOTT,
)


def choose(opinion, expectation, loyalty, boycott, price, params=PARAMS, t=T) -> np.ndarray:
    out = np.empty(opinion.shape[0], dtype=np.int64)
    choose_purchases(
        opinion,
        expectation,
        loyalty,
        boycott,
        np.zeros(opinion.shape, dtype=np.bool_),
        np.asarray(price, dtype=float),
        SEED,
        STREAM,
        t,
        params,
        out,
    )
    return out


def population(n: int, opinions, expectations, loyalties):
    """n identical consumers with the given per-firm beliefs."""
    rows = [
        np.tile(np.asarray(v, dtype=float), (n, 1)) for v in (opinions, expectations, loyalties)
    ]
    return (*rows, np.zeros(rows[0].shape, dtype=np.bool_))


def logit(opinions, expectations, loyalties, price, boycott_row, params=PARAMS) -> np.ndarray:
    """Closed-form probabilities [outside, firm 0, firm 1, …]."""
    u = (
        params.beta_opinion * np.asarray(opinions)
        + params.beta_quality * np.asarray(expectations)
        + params.beta_loyalty * np.asarray(loyalties)
        - params.beta_price * np.asarray(price)
    )
    w = np.concatenate([[np.exp(params.outside_utility)], np.where(boycott_row, 0.0, np.exp(u))])
    return w / w.sum()


def assert_binomial(counts: np.ndarray, probabilities: np.ndarray, n: int) -> None:
    expected = n * probabilities
    sd = np.sqrt(n * probabilities * (1 - probabilities))
    assert np.all(np.abs(counts - expected) <= 5 * sd + 1e-9), (counts, expected)


BELIEFS = ([0.3, -0.2, 0.6], [0.6, 0.5, 0.4], [0.2, 0.0, 0.5])
PRICE = [1.0, 0.7, 1.6]


def test_shares_match_closed_form_logit_with_outside_option():
    n = 200_000
    opinion, expectation, loyalty, boycott = population(n, *BELIEFS)
    chosen = choose(opinion, expectation, loyalty, boycott, PRICE)
    assert chosen.min() >= -1
    assert chosen.max() <= 2
    counts = np.bincount(chosen + 1, minlength=4)
    p = logit(*BELIEFS, PRICE, np.zeros(3, dtype=bool))
    assert p[0] > 0.05  # the outside option carries real weight here
    assert_binomial(counts, p, n)


def test_shares_with_a_boycotted_firm_renormalise_over_the_rest():
    n = 200_000
    opinion, expectation, loyalty, boycott = population(n, *BELIEFS)
    boycott[:, 2] = True
    chosen = choose(opinion, expectation, loyalty, boycott, PRICE)
    counts = np.bincount(chosen + 1, minlength=4)
    assert counts[3] == 0
    assert_binomial(counts, logit(*BELIEFS, PRICE, np.array([False, False, True])), n)


def test_boycotters_never_buy_from_the_boycotted_firm():
    n, firms = 20_000, 4
    gen = np.random.default_rng(0)
    opinion = gen.uniform(-1, 1, (n, firms))
    expectation = gen.uniform(0, 1, (n, firms))
    loyalty = gen.uniform(0, 1, (n, firms))
    boycott = gen.uniform(0, 1, (n, firms)) < 0.5
    chosen = choose(opinion, expectation, loyalty, boycott, np.full(firms, 0.5))
    buyers = np.flatnonzero(chosen >= 0)
    assert buyers.size > n // 4
    assert not boycott[buyers, chosen[buyers]].any()


def test_everyone_boycotting_everything_takes_the_outside_option():
    n = 1000
    opinion, expectation, loyalty, boycott = population(n, [1.0, 1.0], [1.0, 1.0], [1.0, 1.0])
    boycott[:] = True
    params = PARAMS._replace(outside_utility=-50.0)  # even a worthless outside option
    assert np.all(choose(opinion, expectation, loyalty, boycott, [0.0, 0.0], params) == -1)


def test_outside_option_is_chosen_in_proportion_to_its_utility():
    n = 100_000
    zeros = [0.0, 0.0]
    opinion, expectation, loyalty, boycott = population(n, zeros, zeros, zeros)
    flat = PurchaseParams(0.0, 0.0, 0.0, 0.0, outside_utility=0.0, **NO_BUYCOTT)
    chosen = choose(opinion, expectation, loyalty, boycott, zeros, flat)
    assert_binomial(np.bincount(chosen + 1, minlength=3), np.full(3, 1 / 3), n)
    never = choose(
        opinion, expectation, loyalty, boycott, zeros, flat._replace(outside_utility=-50)
    )
    assert np.all(never >= 0)


def test_higher_price_lowers_the_share():
    n = 100_000
    opinion, expectation, loyalty, boycott = population(n, *BELIEFS)
    low = choose(opinion, expectation, loyalty, boycott, PRICE)
    high = choose(opinion, expectation, loyalty, boycott, [PRICE[0] + 0.5, *PRICE[1:]])
    shares_low = np.bincount(low + 1, minlength=4) / n
    shares_high = np.bincount(high + 1, minlength=4) / n
    assert shares_high[1] < shares_low[1] - 0.02
    assert np.all(shares_high[[0, 2, 3]] > shares_low[[0, 2, 3]])  # substitution


def test_choice_depends_only_on_the_consumers_own_draw():
    n = 5000
    gen = np.random.default_rng(1)
    opinion, expectation, loyalty = (gen.uniform(0, 1, (n, 3)) for _ in range(3))
    boycott = gen.uniform(0, 1, (n, 3)) < 0.3
    whole = choose(opinion, expectation, loyalty, boycott, PRICE)
    head = choose(opinion[:100], expectation[:100], loyalty[:100], boycott[:100], PRICE)
    assert np.array_equal(head, whole[:100])  # chunking does not change anyone's choice
    assert not np.array_equal(whole, choose(opinion, expectation, loyalty, boycott, PRICE, t=T + 1))


def test_extreme_utilities_do_not_overflow():
    opinion, expectation, loyalty, boycott = population(10, [1.0], [1.0], [1.0])
    strong = PurchaseParams(50.0, 50.0, 50.0, 0.0, outside_utility=-50.0, **NO_BUYCOTT)
    assert np.all(choose(opinion, expectation, loyalty, boycott, [0.0], strong) == 0)


@pytest.fixture
def model():
    scenario = {
        "graph": {"kind": "erdos_renyi", "n": 3000, "mean_degree": 4},
        "firms": [{"name": "A", "price": 0.5}, {"name": "B", "price": 3.0}],
    }
    return SwarmModel.from_scenario(scenario, seed=2)


def test_phase_fills_purchase_and_respects_boycotts(model):
    people = model.consumers
    people.boycott[: people.n // 2, 0] = True
    purchase.step(model, 1)
    assert not np.any(people.purchase[: people.n // 2] == 0)
    assert np.any(people.purchase[people.n // 2 :] == 0)
    cheap = np.count_nonzero(people.purchase[people.n // 2 :] == 0)
    dear = np.count_nonzero(people.purchase[people.n // 2 :] == 1)
    assert cheap > dear  # same beliefs, lower price


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_phase_counts_each_firms_sales_from_the_choices(backend):
    scenario = {
        "backend": backend,
        "graph": {"kind": "erdos_renyi", "n": 3000, "mean_degree": 4},
        "firms": [{"name": "A", "price": 0.5}, {"name": "B", "price": 3.0}, {"name": "C"}],
    }
    model = SwarmModel.from_scenario(scenario, seed=2)
    purchase.step(model, 1)
    sales = [firm.sales for firm in model.firms]
    assert sales == [np.count_nonzero(model.consumers.purchase == f) for f in range(3)]
    assert 0 < sum(sales) < model.consumers.n  # some buy, some take the outside option
