"""Tests for phases/exposure.py and its kernel reference.detect_misconduct."""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.model import SwarmModel
from swarmsim.phases.exposure import phase as exposure
from swarmsim.phases.exposure.reference import detect_misconduct
from swarmsim.phases.exposure.spec import ExposureParams

SEED, STREAM, T = 9, exposure.STREAM, 6


def detect(competence, factor, opinion, f=0, parity=0.6, shock=1.0):
    """Run the kernel on copies; return (opinion, speaking, detected, count)."""
    o = np.array(opinion, dtype=float)
    speaking = np.zeros(o.shape, dtype=np.bool_)
    detected = np.zeros(o.shape, dtype=np.bool_)
    count = detect_misconduct(
        np.asarray(competence, dtype=float),
        np.asarray(factor, dtype=float),
        o,
        speaking,
        detected,
        SEED,
        STREAM,
        T,
        f,
        ExposureParams(parity, shock),
    )
    return o, speaking, detected, count


def within_binomial(count: int, n: int, p: float) -> bool:
    return abs(count - n * p) <= 5 * np.sqrt(n * p * (1 - p))


def test_detection_rate_is_parity_times_competence():
    n = 200_000
    for competence, parity in ((0.5, 0.6), (0.2, 1.0), (0.9, 0.3)):
        _, _, detected, count = detect(
            np.full(n, competence), np.ones(n), np.zeros((n, 1)), parity=parity
        )
        assert count == np.count_nonzero(detected)
        assert within_binomial(count, n, parity * competence), (competence, parity, count)


def test_mavens_detect_more():
    n = 200_000
    factor = np.where(np.arange(n) % 2 == 0, 2.0, 1.0)
    _, _, detected, _ = detect(np.full(n, 0.3), factor, np.zeros((n, 1)), parity=0.5)
    mavens, others = detected[::2, 0], detected[1::2, 0]
    assert within_binomial(np.count_nonzero(mavens), n // 2, 0.3)
    assert within_binomial(np.count_nonzero(others), n // 2, 0.15)


def test_detection_probability_is_capped_at_one_and_zero_without_parity():
    _, _, detected, count = detect(np.ones(100), np.full(100, 10.0), np.zeros((100, 1)), parity=1)
    assert count == 100
    assert detected.all()
    _, _, _, count = detect(np.ones(100), np.full(100, 10.0), np.zeros((100, 1)), parity=0.0)
    assert count == 0


def test_detectors_drop_by_the_shock_and_speak_others_untouched():
    n, f = 5000, 1
    opinion = np.tile(np.linspace(-1, 1, n)[:, None], (1, 3))
    o, speaking, detected, count = detect(np.full(n, 0.5), np.ones(n), opinion, f=f, shock=0.7)
    hit = rng.uniform(SEED, STREAM, T, np.arange(n), f) < 0.6 * 0.5
    assert np.array_equal(detected[:, f], hit)
    assert np.array_equal(speaking[:, f], hit)
    np.testing.assert_allclose(o[hit, f], np.maximum(-1.0, opinion[hit, f] - 0.7))
    assert np.array_equal(o[~hit, f], opinion[~hit, f])
    assert np.array_equal(o[:, [0, 2]], opinion[:, [0, 2]])
    assert not detected[:, [0, 2]].any()
    assert not speaking[:, [0, 2]].any()
    assert o.min() >= -1.0
    assert count == np.count_nonzero(hit)


def scenario(strategy: str, rate: float, **extra) -> dict:
    return {
        "graph": {"kind": "erdos_renyi", "n": 500, "mean_degree": 4},
        "firms": [{"name": "F", "strategy": strategy, "misconduct_rate": rate}],
        **extra,
    }


def misconduct_steps(spec: dict, steps: int = 60) -> list[bool]:
    model = SwarmModel.from_scenario(spec, seed=3)
    events = []
    for t in range(1, steps + 1):
        exposure.step(model, t)
        events.append(model.firms[0].misconduct)
        if not model.firms[0].misconduct:
            assert model.firms[0].exposed_share == 0.0
    return events


def test_no_misconduct_without_manipulation():
    assert not any(misconduct_steps(scenario("customer_centric", 1.0)))
    assert all(misconduct_steps(scenario("manipulative", 1.0)))


def test_misconduct_rate_scales_with_m_and_mu():
    mixed = scenario("mixed", 0.6)
    mixed["firms"][0]["manipulation"] = 0.5
    events = misconduct_steps(mixed, steps=400)
    assert within_binomial(sum(events), 400, 0.3)


def test_phase_records_exposed_share():
    model = SwarmModel.from_scenario(scenario("manipulative", 1.0), seed=3)
    exposure.step(model, 1)
    firm, people = model.firms[0], model.consumers
    assert firm.misconduct
    assert firm.exposed_share == np.count_nonzero(people.detected[:, 0]) / people.n > 0


SCANDAL_STEP = 9
SCANDAL_SEED = next(
    s for s in range(100) if rng.uniform(s, exposure.EVENT, SCANDAL_STEP, 0, 0) < 0.5
)


def scandal_run(scandal: bool) -> dict:
    """A co-creating firm (m = 0.5) whose loyal customers may then detect a scandal.

    Misconduct is off for a calm period; for the scandal run it is switched on
    (μ = 1, so an event with probability μ·m = 1/2) before step 9, and the seed is one
    whose event draw at step 9 fires.
    """
    spec = {
        "graph": {"kind": "barabasi_albert", "n": 1500, "m": 4},
        "consumers": {"information_parity": 1.0, "threshold": 0.1, "initial_expectation": 0.6},
        "experience": {"cocreation_gain": 0.5},
        "exposure": {"direct_share": 1.0},  # everyone competent learns it first-hand
        "seeding": {"boycotters": 30},
        "phases": {"advertising": False, "institutions": False},
        "firms": [
            {
                "name": "F",
                "strategy": "mixed",
                "manipulation": 0.5,
                "quality": 0.95,
                "quality_cut": 0.0,
                "cocreation": 1.0,
                "misconduct_rate": 0.0,
            },
        ],
    }
    model = SwarmModel.from_scenario(spec, seed=SCANDAL_SEED)
    people, firm = model.consumers, model.firms[0]
    for _ in range(SCANDAL_STEP - 1):
        model.step()
    loyal = people.loyalty[:, 0] > 0.5
    loyal_opinion = people.opinion[loyal, 0].copy()
    calm_spec = firm.spec
    if scandal:
        firm.spec = calm_spec.model_copy(update={"misconduct_rate": 1.0})
    model.step()
    detected, after = people.detected[:, 0].copy(), people.opinion[:, 0].copy()
    firm.spec = calm_spec  # one scandal only; then let the boycott spread
    for _ in range(3):
        model.step()
    return {
        "loyal": loyal,
        "loyal_opinion": loyal_opinion,
        "misconduct": detected.any(),
        "detected": detected,
        "opinion_after": after,
        "boycott": people.boycott[:, 0],
    }


def test_cocreation_builds_loyalty_but_a_scandal_still_starts_a_boycott_among_the_loyal():
    calm, scandal = scandal_run(False), scandal_run(True)
    assert scandal["misconduct"]
    assert not calm["misconduct"]
    loyal = scandal["loyal"]
    assert np.array_equal(loyal, calm["loyal"])  # same seed, same calm period
    assert loyal.sum() > 0.5 * loyal.size  # co-creation made most consumers loyal
    assert np.all(scandal["loyal_opinion"] > 0.0)  # they liked the firm before
    detectors = loyal & scandal["detected"]
    assert detectors.sum() > 0.5 * loyal.sum()  # parity 1: most of them notice
    before = scandal["loyal_opinion"][detectors[loyal]]
    after = scandal["opinion_after"][detectors]
    assert np.all(after < before)  # loyalty is no shield
    assert np.mean(before - after) > 0.5  # shock 1, softened by the step's other phases
    assert not calm["boycott"][loyal].any()
    assert scandal["boycott"][loyal].sum() > 0.3 * loyal.sum()
