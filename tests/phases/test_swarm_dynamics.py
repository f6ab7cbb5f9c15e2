"""Tests for the swarm dynamics: activists, fatigue, awareness through talk, first-hand detection.

Each rule is checked on its own (a hand-made state through the reference kernel or one
model step), then together: one scandal, no institution, no seeded boycotter.
"""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.agents.consumers import build_population
from swarmsim.graphs import from_edges, neighbour_sums
from swarmsim.model import CONSUMER_STATE, SwarmModel
from swarmsim.phases.boycott import phase as boycott_phase
from swarmsim.phases.boycott.reference import boycott_update
from swarmsim.phases.boycott.spec import BoycottParams
from swarmsim.phases.word_of_mouth.reference import word_of_mouth
from swarmsim.phases.word_of_mouth.spec import WordOfMouthParams
from swarmsim.scenario import ConsumerSpec


def population(**spec):
    degree = np.full(20_000, 4, dtype=np.int64)
    return build_population(ConsumerSpec(**spec), degree, 1, 0, seed=5, state=CONSUMER_STATE)


def test_activists_have_threshold_zero_and_leave_everyone_else_unchanged():
    none, some = population(activists=0.0), population(activists=0.03)
    activists = some.threshold != none.threshold
    assert np.count_nonzero(some.threshold == 0.0) == round(0.03 * 20_000)
    assert np.all(some.threshold[activists] == 0.0)
    more = population(activists=0.06)
    assert np.all(more.threshold[some.threshold == 0.0] == 0.0)  # the 3 % stay activists


def boycott_round(boycott, opinion, threshold, gave_up, fatigue, t=1):
    graph = from_edges(4, [0, 0, 0], [1, 2, 3])  # a star: 0 in the middle
    weight, out = np.ones(4), np.empty(4, dtype=bool)
    joined = boycott_update(
        graph.indptr, graph.indices, np.array(boycott)[:, None], np.array(opinion)[:, None],
        weight, neighbour_sums(graph, weight), np.array(threshold, dtype=float),
        np.zeros((4, 1)), gave_up, 3, boycott_phase.STREAM, t, 0,
        BoycottParams(-0.2, 0.2, fatigue), out,
    )  # fmt: skip
    return out, joined


def test_an_activist_joins_on_its_own_outrage_and_others_need_boycotting_neighbours():
    gave_up = np.zeros((4, 1), dtype=bool)
    out, joined = boycott_round([False] * 4, [-0.5, -0.5, -0.5, 0.0], [0.0, 0.0, 0.5, 0.0],
                                gave_up, 0.0)  # fmt: skip
    assert out.tolist() == [True, True, False, False]  # 3 is an activist but not outraged
    assert joined == 2


def test_tired_boycotters_leave_give_up_and_do_not_rejoin():
    gave_up = np.zeros((4, 1), dtype=bool)
    out, _ = boycott_round([True] * 4, [-1.0] * 4, [0.0] * 4, gave_up, 1.0)
    assert not out.any()
    assert gave_up.all()
    out, joined = boycott_round([True, True, False, False], [-1.0] * 4, [0.0] * 4, gave_up, 0.0)
    assert out.tolist() == [True, True, False, False]  # those who stay, stay
    assert joined == 0  # the outraged activists who gave up do not come back
    half = np.zeros((4, 1), dtype=bool)
    stays = [boycott_round([True] * 4, [-1.0] * 4, [0.0] * 4, half.copy(), 0.5, t)[0]
             for t in range(200)]  # fmt: skip
    assert np.mean(stays) == pytest.approx(0.5, abs=0.06)  # the hazard per step


def talk(aware, opinion, shock=0.5, trust=1.0):
    graph = from_edges(3, [0, 1], [1, 2])  # a path 0 - 1 - 2
    aware, heard = np.array(aware)[:, None], np.zeros((3, 1), dtype=bool)
    opinion = np.array(opinion, dtype=float)[:, None]
    firm_trust = np.ones((3, 1))
    word_of_mouth(
        graph.indptr, graph.indices, np.array([[True], [False], [False]]), opinion,
        np.ones(3), np.ones(3), np.full(3, trust), 1, 2, 3, 0,
        WordOfMouthParams(1.0, 1.0, 0.0, 0.01, shock, 0.25), heard, aware, firm_trust,
    )  # fmt: skip
    return aware[:, 0], opinion[:, 0], heard[:, 0], firm_trust[:, 0]


def test_news_of_a_misconduct_travels_with_talk_and_outrages_the_first_time():
    aware, opinion, heard, firm_trust = talk([True, False, False], [-1.0, 0.2, 0.2], trust=0.8)
    assert aware.tolist() == [True, True, False]  # 0 told 1; 2 is not 0's neighbour
    assert opinion[1] == pytest.approx(0.2 - 0.5 * 0.8)  # learning rate 0: the shock alone
    assert heard[1]  # so it speaks next step: the news cascades
    assert firm_trust.tolist() == [1.0, 0.75, 1.0]  # and 1 trusts the firm's ads less
    _, again, _, kept = talk([True, True, False], [-1.0, 0.2, 0.2])
    assert again[1] == 0.2  # told again: no new outrage
    assert kept.tolist() == [1.0, 1.0, 1.0]  # nor a new loss of trust
    unaware, calm, _, _ = talk([False, False, False], [-1.0, 0.2, 0.2])
    assert not unaware.any()
    assert calm[1] == 0.2


def scandal_model(seed: int = 2, **over) -> SwarmModel:
    scenario = {
        "steps": 40, "backend": "numba", "graph": {"kind": "barabasi_albert", "n": 3000, "m": 3},
        "firms": [{"name": "A", "strategy": "manipulative", "misconduct_rate": 0.0},
                  {"name": "B", "strategy": "customer_centric"}],
        "events": [{"at": 5, "action": {"kind": "misconduct", "firm": "A"}}], **over,
    }  # fmt: skip
    return SwarmModel.from_scenario(scenario, seed=seed)


def test_first_hand_detection_is_scaled_by_direct_share():
    shares = {}
    for direct in (0.1, 1.0):
        model = scandal_model(exposure={"direct_share": direct})
        model.run(5)
        shares[direct] = model.firms[0].exposed_share
    assert shares[1.0] > 5 * shares[0.1] > 0.0


def test_one_scandal_spreads_awareness_starts_a_boycott_and_the_boycott_fades():
    model = scandal_model()
    model.run(5)
    first_hand = model.consumers.aware[:, 0].mean()
    assert 0.0 < first_hand < 0.1  # few learn it first-hand
    shares = []
    for _ in range(35):
        model.step()
        shares.append(model.firms[0].boycott_share)
    assert model.consumers.aware[:, 0].mean() > 3 * first_hand  # the rest by word of mouth
    assert not model.consumers.aware[:, 1].any()  # nobody hears of B's misconduct
    peak = int(np.argmax(shares))
    assert shares[peak] > 0.005  # a boycott started without institutions or seeding
    assert shares[-1] < 0.8 * shares[peak]  # and fades
    assert model.consumers.gave_up[:, 0].any()


def peak_boycotts(seeds: int = 10, **over) -> np.ndarray:
    """Peak boycott share of firm A after its scandal, one per seed."""
    peaks = np.zeros(seeds)
    for seed in range(seeds):
        model = scandal_model(seed, **over)
        for _ in range(model.spec.steps):
            model.step()
            peaks[seed] = max(peaks[seed], model.firms[0].boycott_share)
    return peaks


def test_whether_a_self_started_boycott_goes_global_depends_on_the_network_and_on_activists():
    # Watts (2002): on sparse graphs the news and the boycott stay local; on denser ones
    # the same activists start a global cascade; without any activist nobody is first.
    def small_world(k):
        return {"kind": "watts_strogatz", "n": 2000, "k": k, "p": 0.1}

    sparse, dense = peak_boycotts(graph=small_world(4)), peak_boycotts(graph=small_world(16))
    assert sparse.max() < 0.05
    assert (dense >= 0.10).mean() >= 0.8
    assert not peak_boycotts(graph=small_world(16), consumers={"activists": 0.0}).any()


def test_learning_of_a_misconduct_costs_trust_in_the_firm_which_recovers_slowly():
    model = scandal_model(
        advertising={"trust_loss": 0.5, "trust_recovery": 0.1, "wear_out": 0.0},
        experience={"disappointment_distrust": 0.0},  # only the scandal moves trust
    )
    model.run(5)
    people = model.consumers
    detectors = people.detected[:, 0]
    assert np.all(people.firm_trust[detectors, 0] == 0.5)  # first-hand: half the trust lost
    assert np.all(people.firm_trust[:, 1] == 1.0)  # the other firm keeps it
    model.run(3)
    told = people.aware[:, 0] & ~detectors
    assert told.any()
    assert np.all(people.firm_trust[told, 0] < 1.0)  # hearsay costs trust too
    model.run(20)
    assert np.all(people.firm_trust[detectors, 0] > 0.9)  # and it comes back
    assert model.firms[0].trust_in_firm < 1.0 == model.firms[1].trust_in_firm


def test_peer_trust_drifts_by_its_yearly_trend():
    model = scandal_model(consumers={"peer_trust_trend": 0.52}, events=[])
    before = model.consumers.peer_trust.copy()
    model.run(10)
    moved = np.clip(before + 10 * 0.01, 0.0, 1.0)
    np.testing.assert_allclose(model.consumers.peer_trust, moved, atol=1e-12)


def test_persuasion_wears_out_and_disappointment_costs_trust_without_any_scandal():
    def trust_after(**over) -> tuple[float, float]:
        model = scandal_model(events=[], **over)
        model.run(30)
        return model.firms[0].trust_in_firm, model.firms[1].trust_in_firm

    worn_a, worn_b = trust_after()
    assert worn_a < worn_b - 0.05  # B's buyers are disappointed only by quality noise
    no_wear_a, _ = trust_after(advertising={"wear_out": 0.0})
    neither = trust_after(
        advertising={"wear_out": 0.0}, experience={"disappointment_distrust": 0.0}
    )
    assert worn_a < no_wear_a < neither[0]  # each rule costs trust
    assert neither == (1.0, 1.0)  # both off: none lost
