"""Tests for phases/experience.py and its kernel reference.experience."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.model import SwarmModel
from swarmsim.phases.experience import phase as phase
from swarmsim.phases.experience.reference import experience
from swarmsim.phases.experience.spec import ExperienceParams

SEED, STREAM, T = 3, phase.STREAM, 2
BASE = ExperienceParams(
    opinion_decay=0.0,
    quality=0.5,
    quality_noise=0.0,
    opinion_rate=0.5,
    expectation_rate=0.3,
    dialogue=0.0,
    dialogue_damping=0.5,
    speak_threshold=0.05,
    loyalty_gain=0.1,
    loyalty_decay=0.2,
    cocreation=0.0,
    cocreation_gain=0.3,
    education=0.0,
    disappointment_distrust=0.0,
)


def state(n: int, firms: int = 2, *, opinion=0.0, expectation=0.9, loyalty=0.4, competence=0.5):
    return {
        "competence": np.full(n, competence, dtype=float),
        "opinion": np.full((n, firms), opinion, dtype=float),
        "expectation": np.full((n, firms), expectation, dtype=float),
        "loyalty": np.full((n, firms), loyalty, dtype=float),
        "firm_trust": np.ones((n, firms)),
        "speaking": np.zeros((n, firms), dtype=np.bool_),
    }


def run_kernel(purchase, s: dict, f: int = 0, **kw) -> dict:
    """Apply the kernel in place to ``s`` (returned for chaining)."""
    experience(
        np.asarray(purchase, dtype=np.int64),
        s["competence"],
        s["opinion"],
        s["expectation"],
        s["loyalty"],
        s["firm_trust"],
        s["speaking"],
        SEED,
        STREAM,
        T,
        f,
        BASE._replace(**kw),
    )
    return s


def test_disappointment_lowers_opinion_more_for_the_competent():
    s = state(3)
    s["competence"][:] = [0.1, 0.5, 0.9]
    run_kernel([0, 0, 0], s)  # expectation 0.9 > real quality 0.5
    drop = s["opinion"][:, 0]
    np.testing.assert_allclose(drop, 0.5 * s["competence"] * (0.5 - 0.9), rtol=1e-12)
    assert drop[2] < drop[1] < drop[0] < 0.0  # assimilation: the incompetent barely notice
    perceived = 0.9 + s["competence"] * (0.5 - 0.9)
    np.testing.assert_allclose(s["expectation"][:, 0], 0.9 + 0.3 * (perceived - 0.9))


def test_disappointment_costs_trust_in_the_firms_messages():
    s = state(4, expectation=0.9)
    s["competence"][:] = [0.0, 0.5, 1.0, 1.0]
    run_kernel([0, 0, 0, -1], s, disappointment_distrust=0.5)  # real quality 0.5
    letdown = s["competence"][:3] * (0.9 - 0.5)  # q̂ − x̃: only the noticed shortfall
    np.testing.assert_allclose(s["firm_trust"][:3, 0], 1.0 - 0.5 * letdown)
    assert s["firm_trust"][3, 0] == 1.0  # not a buyer
    assert np.all(s["firm_trust"][:, 1] == 1.0)  # another firm's column
    pleased = run_kernel([0, 0], state(2, expectation=0.2), disappointment_distrust=0.5)
    assert np.all(pleased["firm_trust"] == 1.0)  # a pleasant surprise costs nothing


def test_pleasant_surprise_raises_opinion():
    s = run_kernel([0, 0], state(2, expectation=0.2), quality=0.9)
    assert np.all(s["opinion"][:, 0] > 0.0)


def test_answered_complaints_are_damped():
    silent = run_kernel([0] * 4, state(4), dialogue=0.0)
    answered = run_kernel([0] * 4, state(4), dialogue=1.0)
    np.testing.assert_allclose(answered["opinion"][:, 0], 0.5 * silent["opinion"][:, 0])
    full = run_kernel([0] * 4, state(4), dialogue=1.0, dialogue_damping=1.0)
    assert np.all(full["opinion"][:, 0] == 0.0)


def test_dialogue_does_not_damp_praise():
    silent = run_kernel([0, 0], state(2, expectation=0.2), dialogue=0.0)
    answered = run_kernel([0, 0], state(2, expectation=0.2), dialogue=1.0)
    assert np.array_equal(silent["opinion"], answered["opinion"])


def test_partial_dialogue_answers_about_that_share():
    n = 20_000
    silent = run_kernel(np.zeros(n), state(n), dialogue=0.0)["opinion"][:, 0]
    some = run_kernel(np.zeros(n), state(n), dialogue=0.3)["opinion"][:, 0]
    damped = np.isclose(some, 0.5 * silent)
    assert np.all(damped | (some == silent))
    assert abs(damped.mean() - 0.3) < 5 * np.sqrt(0.3 * 0.7 / n)


def test_cocreation_raises_loyalty():
    plain = run_kernel([0, 0], state(2), cocreation=0.0)["loyalty"][:, 0]
    invited = run_kernel([0, 0], state(2), cocreation=1.0)["loyalty"][:, 0]
    after_purchase = 0.4 + 0.1 * 0.6
    np.testing.assert_allclose(plain, after_purchase)
    np.testing.assert_allclose(invited, after_purchase + 0.3 * (1 - after_purchase))
    assert np.all(invited > plain)


def test_education_raises_buyers_competence_only():
    s = run_kernel([0, -1, 1], state(3), education=0.25)
    np.testing.assert_allclose(s["competence"], [0.5 + 0.25 * 0.5, 0.5, 0.5])


def test_loyalty_decays_for_non_buyers_of_this_firm():
    s = run_kernel([0, -1, 1], state(3))
    assert s["loyalty"][0, 0] > 0.4
    np.testing.assert_allclose(s["loyalty"][1:, 0], 0.4 * (1 - 0.2))
    np.testing.assert_allclose(s["loyalty"][:, 1], 0.4)  # column 1 is another firm's


def test_non_buyers_beliefs_are_untouched_and_movers_speak():
    s = state(4)
    s["competence"][:] = [0.0, 0.9, 0.9, 0.9]
    run_kernel([0, 0, -1, 1], s)
    assert s["opinion"][2, 0] == 0.0
    assert s["opinion"][3, 0] == 0.0
    assert s["expectation"][2, 0] == 0.9
    # consumer 0 (c = 0) perceives its expectation: no change, no talk; consumer 1 moved 0.18
    assert s["speaking"][:, 0].tolist() == [False, True, False, False]


def test_every_opinion_of_the_firm_fades_before_buyers_update():
    s = state(3, opinion=0.6, expectation=0.5, competence=1.0)
    run_kernel([0, -1, 1], s, opinion_decay=0.5)  # quality 0.5 = expectation: no change
    assert s["opinion"][:, 0].tolist() == [0.3, 0.3, 0.3]
    assert s["opinion"][:, 1].tolist() == [0.6, 0.6, 0.6]  # another firm's column
    assert not s["speaking"].any()  # fading is not a moved opinion


def test_noise_spreads_experience_around_real_quality():
    n = 50_000
    s = run_kernel(np.zeros(n), state(n, expectation=0.5, competence=1.0), quality_noise=0.1)
    change = s["opinion"][:, 0] / 0.5  # = experienced quality − 0.5 for c = 1
    assert abs(change.mean()) < 5 * 0.1 / np.sqrt(n)
    assert change.std() == pytest.approx(0.1, rel=0.03)
    assert np.abs(change).max() <= 0.1 * np.sqrt(6) + 1e-12


def small_model(**firm) -> SwarmModel:
    scenario = {
        "graph": {"kind": "erdos_renyi", "n": 400, "mean_degree": 4},
        "consumers": {"initial_expectation": 0.9},
        "experience": {"opinion_decay": 0.1},
        "firms": [{"name": "A", "quality": 0.3, **firm}],
    }
    return SwarmModel.from_scenario(scenario, seed=4)


def test_phase_fades_every_opinion_first():
    model = small_model()
    people = model.consumers
    people.opinion[:] = np.linspace(-1, 1, people.n)[:, None]
    phase.step(model, 1)  # nobody bought (purchase = -1)
    np.testing.assert_allclose(people.opinion[:, 0], 0.9 * np.linspace(-1, 1, people.n))


def test_phase_scales_customer_care_by_one_minus_m():
    outcomes = {}
    for strategy in ("manipulative", "customer_centric"):
        model = small_model(strategy=strategy, dialogue=1.0, education=0.5, quality_cut=0.0)
        model.consumers.purchase[:] = 0
        before = model.consumers.competence.copy()
        phase.step(model, 1)
        outcomes[strategy] = (model.consumers.opinion[:, 0].copy(), before, model.consumers)
    manip_opinion, manip_before, manip = outcomes["manipulative"]
    care_opinion, care_before, care = outcomes["customer_centric"]
    assert np.array_equal(manip.competence, manip_before)  # m = 1: no education
    assert np.all(care.competence > care_before)
    np.testing.assert_allclose(care_opinion, 0.5 * manip_opinion)  # m = 0: every complaint damped
    assert manip_opinion.max() < 0.0


def negative_non_buyers(dialogue: float, steps: int = 12) -> tuple[float, int]:
    """Mean opinion of never-buyers and count of negative speakers, after ``steps``."""
    scenario = {
        "graph": {"kind": "barabasi_albert", "n": 3000, "m": 3},
        "consumers": {"initial_expectation": 0.9, "information_parity": 0.9},
        "experience": {"dialogue_damping": 0.5},
        "purchase": {"outside_utility": 4.0},  # few buy each step: most hear before they buy
        "word_of_mouth": {"p_talk": 0.3},
        "phases": {"advertising": False, "institutions": False, "boycott": False},
        "firms": [{"name": "A", "quality": 0.3, "dialogue": dialogue}],
    }
    model = SwarmModel.from_scenario(scenario, seed=8)
    people = model.consumers
    ever_bought = np.zeros(people.n, dtype=bool)
    negative_speakers = 0
    for _ in range(steps):
        model.step()
        ever_bought |= people.purchase == 0
        negative_speakers += np.count_nonzero(people.speaking[:, 0] & (people.opinion[:, 0] < 0))
    assert 0.2 * people.n < np.count_nonzero(~ever_bought) < 0.9 * people.n
    return float(people.opinion[~ever_bought, 0].mean()), negative_speakers


def test_dialogue_damps_negative_word_of_mouth():
    silent_mean, silent_speakers = negative_non_buyers(dialogue=0.0)
    answered_mean, answered_speakers = negative_non_buyers(dialogue=1.0)
    assert silent_mean < 0.0
    assert answered_mean > silent_mean + 0.02
    assert answered_speakers < 0.8 * silent_speakers


def test_cocreation_raises_loyalty_at_model_level():
    spec = {
        "graph": {"kind": "erdos_renyi", "n": 800, "mean_degree": 4},
        "phases": {"exposure": False, "institutions": False, "boycott": False},
        "firms": [{"name": "F", "cocreation": 0.0}],
    }
    loyalty = {}
    for invite in (0.0, 0.5):
        spec["firms"][0]["cocreation"] = invite
        model = SwarmModel.from_scenario(spec, seed=2).run(6)
        loyalty[invite] = model.consumers.loyalty[:, 0].mean()
    assert loyalty[0.5] > loyalty[0.0] + 0.02
