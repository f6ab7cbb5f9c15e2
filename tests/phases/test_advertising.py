"""Tests for phases/advertising.py and its kernel reference.advertise."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.kernels import rng
from swarmsim.model import SwarmModel
from swarmsim.phases.advertising import phase as advertising
from swarmsim.phases.advertising.reference import advertise
from swarmsim.phases.advertising.spec import AdvertisingParams

SEED, STREAM, T = 5, advertising.STREAM, 3


def params(**kw) -> AdvertisingParams:
    base = {"reach": 1.0, "intensity": 0.2, "manipulation": 1.0, "quality": 0.6, "backfire": 0.5,
            "wear_out": 0.0, "recovery": 0.0}  # fmt: skip
    return AdvertisingParams(**{**base, **kw})


def apply(competence, peer_trust, opinion, expectation, f=0, firm_trust=None, **kw):
    """Run the kernel on copies; return (new opinion, new expectation, contacts)."""
    o, e = np.array(opinion, dtype=float), np.array(expectation, dtype=float)
    c, tau = np.asarray(competence, dtype=float), np.asarray(peer_trust, dtype=float)
    trust = np.ones(o.shape) if firm_trust is None else np.asarray(firm_trust, dtype=float)
    contacts = advertise(c, tau, trust, o, e, SEED, STREAM, T, f, params(**kw))
    return o, e, contacts


def column(values) -> np.ndarray:
    return np.asarray(values, dtype=float)[:, None]


def test_manipulation_lifts_the_incompetent_and_backfires_on_the_competent():
    c = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    tau = np.full(5, 0.25)
    o, _, contacts = apply(c, tau, column([0.0] * 5), column([0.5] * 5))
    assert contacts == 5
    s = (1 - 0.25) * 0.2
    np.testing.assert_allclose(o[:, 0], s * ((1 - c) - 0.5 * c), rtol=1e-12)
    assert o[0, 0] > o[1, 0] > 0.0  # the less competent are lifted more
    assert o[3, 0] < 0.0
    assert o[4, 0] < 0.0
    o_nobackfire, _, _ = apply(c, tau, column([0.0] * 5), column([0.5] * 5), backfire=0.0)
    assert np.all(o_nobackfire[:, 0] >= 0.0)


def test_persuasion_inflates_expectation_of_the_less_competent_only():
    c = np.array([0.0, 0.2, 0.8, 1.0])
    _, e, _ = apply(c, np.zeros(4), column([0.0] * 4), column([0.4] * 4))
    inflation = e[:, 0] - 0.4
    np.testing.assert_allclose(inflation, 0.2 * (1 - c) * (1 - 0.4), rtol=1e-12)
    assert inflation[0] > inflation[1] > inflation[2] > 0.0
    assert inflation[3] == 0.0  # a fully competent consumer is not fooled


def test_informative_ads_move_beliefs_toward_the_truth():
    quality = 0.8
    o0 = np.array([-1.0, 0.0, 0.6, 1.0])
    e0 = np.array([0.0, 0.3, 0.8, 1.0])
    c = np.array([0.1, 0.5, 0.9, 0.3])
    o, e, _ = apply(c, np.zeros(4), o0[:, None], e0[:, None], manipulation=0.0, quality=quality)
    signal = 2 * quality - 1
    np.testing.assert_allclose(o[:, 0], o0 + 0.2 * (signal - o0), rtol=1e-12)
    np.testing.assert_allclose(e[:, 0], e0 + 0.2 * (quality - e0), rtol=1e-12)
    assert np.all(np.abs(o[:, 0] - signal) <= np.abs(o0 - signal))
    assert np.all(np.abs(e[:, 0] - quality) <= np.abs(e0 - quality))
    assert o[2, 0] == pytest.approx(signal)  # already at the signal: no change


def test_higher_peer_trust_weakens_ads():
    c = np.full(3, 0.1)
    tau = np.array([0.1, 0.6, 1.0])
    for m in (0.0, 1.0):
        o, e, _ = apply(c, tau, column([0.0] * 3), column([0.5] * 3), manipulation=m)
        moved = np.abs(o[:, 0]) + np.abs(e[:, 0] - 0.5)
        assert moved[0] > moved[1] > 0.0
        assert moved[2] == 0.0  # τ = 1: firms' messages carry no weight


def test_results_are_clipped():
    o, e, _ = apply([0.0], [0.0], [[0.99]], [[0.999]], intensity=1.0)
    assert o[0, 0] == 1.0
    assert e[0, 0] <= 1.0
    o, _, _ = apply([1.0], [0.0], [[-0.99]], [[0.5]], intensity=1.0, backfire=5.0)
    assert o[0, 0] == -1.0


def test_contacts_follow_the_binomial_and_unreached_are_untouched():
    n, reach, f = 100_000, 0.3, 2
    c = np.linspace(0.0, 1.0, n)
    tau = np.full(n, 0.5)
    o0 = np.zeros((n, 3))
    e0 = np.full((n, 3), 0.5)
    o, e, contacts = apply(c, tau, o0, e0, f=f, reach=reach)
    sd = np.sqrt(n * reach * (1 - reach))
    assert abs(contacts - n * reach) < 5 * sd
    hit = rng.uniform(SEED, STREAM, T, np.arange(n), f) < reach
    assert contacts == np.count_nonzero(hit)
    assert np.array_equal(o[~hit], o0[~hit])
    assert np.array_equal(e[~hit], e0[~hit])
    changed = (o[:, f] != 0.0) | (e[:, f] != 0.5)
    assert np.array_equal(changed, hit)  # every reached consumer moved (c < 1 here)
    others = [0, 1]
    assert np.array_equal(o[:, others], o0[:, others])  # only column f is written


def test_zero_reach_touches_nobody():
    o, e, contacts = apply(
        np.full(50, 0.3), np.zeros(50), np.zeros((50, 1)), np.full((50, 1), 0.5), reach=0.0
    )
    assert contacts == 0
    assert np.all(o == 0.0)
    assert np.all(e == 0.5)


def test_phase_records_contacts_and_uses_each_firms_weight():
    scenario = {
        "graph": {"kind": "erdos_renyi", "n": 2000, "mean_degree": 4},
        "consumers": {"information_parity": 0.0, "competence_concentration": 50},
        "firms": [
            {"name": "M", "strategy": "manipulative", "ad_reach": 0.5, "ad_intensity": 0.3},
            {"name": "C", "strategy": "customer_centric", "ad_reach": 0.1, "quality": 0.9},
        ],
    }
    model = SwarmModel.from_scenario(scenario, seed=1)
    advertising.step(model, 1)
    people = model.consumers
    manip, care = model.firms
    assert manip.ad_contacts == np.count_nonzero(people.opinion[:, 0] != 0.0)
    assert abs(manip.ad_contacts - 1000) < 5 * np.sqrt(2000 * 0.25)
    assert abs(care.ad_contacts - 200) < 5 * np.sqrt(2000 * 0.09)
    # low competence (parity 0): persuasion lifts, informative ads point at 2q − 1 = 0.8
    assert people.opinion[:, 0].max() > 0.0
    moved = people.opinion[:, 1] != 0.0
    assert np.all(people.opinion[moved, 1] > 0.0)
    assert np.all(people.expectation[moved, 1] > 0.5)


def test_ads_weigh_less_where_trust_in_the_firm_is_lost():
    c, tau = np.full(3, 0.2), np.full(3, 0.5)
    trusted, _, _ = apply(c, tau, column([0.0] * 3), column([0.5] * 3))
    doubted, _, _ = apply(c, tau, column([0.0] * 3), column([0.5] * 3),
                          firm_trust=column([1.0, 0.5, 0.0]))  # fmt: skip
    np.testing.assert_allclose(doubted[:, 0], trusted[:, 0] * [1.0, 0.5, 0.0], rtol=1e-12)


def test_persuasion_wears_out_the_trust_of_those_who_see_through_it():
    c, tau = np.array([0.0, 0.5, 1.0]), np.full(3, 0.5)
    trust = column([1.0, 1.0, 0.8])
    o = column([0.0] * 3)
    first, _, _ = apply(c, tau, o, column([0.5] * 3), firm_trust=trust, wear_out=0.2)
    # the kernel updated ``trust`` in place: T * (1 - wear_out * m * c)
    np.testing.assert_allclose(trust[:, 0], [1.0, 0.9, 0.8 * 0.8], rtol=1e-12)
    second, _, _ = apply(c, tau, o, column([0.5] * 3), firm_trust=trust, wear_out=0.2)
    assert second[1, 0] < first[1, 0]  # the same ad moves the competent less the second time
    informative = column([1.0] * 3)
    apply(c, tau, o, column([0.5] * 3), firm_trust=informative, wear_out=0.2, manipulation=0.0)
    assert np.all(informative == 1.0)  # informative ads cost no trust
