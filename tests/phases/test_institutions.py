"""Tests for the institutions phase: triggers, campaigns, pressure, and its kernels."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.agents.institutions import Institution
from swarmsim.kernels import rng
from swarmsim.model import INSTITUTION_REPORTERS, SwarmModel
from swarmsim.phases.institutions import phase as institutions
from swarmsim.phases.institutions.reference import call, petition
from swarmsim.phases.institutions.spec import CallParams

SEED, STREAM, T = 17, institutions.STREAM, 8
QUIET = {"reach": 0.0, "call_strength": 0.0}
ALWAYS = {"when": "negative_share", "level": 0.0}  # fires whatever the opinions


def model_with(*specs: dict, firms=("A",), n: int = 400) -> SwarmModel:
    scenario = {
        "graph": {"kind": "erdos_renyi", "n": n, "mean_degree": 4},
        "firms": [{"name": name} for name in firms],
        "institutions": list(specs),
    }
    return SwarmModel.from_scenario(scenario, seed=5)


def institution(name="I", share=0.1, kind="consumer_protection", **kw) -> dict:
    """A quiet institution: no call; consumer protection's sanction needs known misconduct."""
    return {"name": name, "kind": kind, "members": {"share": share}, **QUIET, **kw}


# ----------------------------------------------------------------------- triggers


def test_misconduct_trigger_fires_at_its_level():
    model = model_with(institution(share=0.05, trigger={"when": "misconduct", "level": 0.1}))
    inst, people = model.institutions[0], model.consumers
    assert inst.members.size == 20
    assert not institutions.triggered(model, inst, 0)
    people.detected[inst.members[:1], 0] = True  # 1 of 20 = 0.05
    assert not institutions.triggered(model, inst, 0)
    people.detected[inst.members[:2], 0] = True  # 2 of 20 = 0.1
    assert institutions.triggered(model, inst, 0)
    people.detected[:] = False
    outsiders = np.setdiff1d(np.arange(people.n), inst.members)
    people.detected[outsiders, 0] = True  # detection by non-members does not count
    assert not institutions.triggered(model, inst, 0)


def test_misconduct_trigger_needs_a_detector_even_at_level_zero():
    model = model_with(institution(trigger={"when": "misconduct", "level": 0.0}))
    inst = model.institutions[0]
    assert not institutions.triggered(model, inst, 0)
    model.consumers.detected[inst.members[0], 0] = True
    assert institutions.triggered(model, inst, 0)


def test_negative_share_trigger_fires_at_its_level():
    model = model_with(institution(share=0.05, trigger={"when": "negative_share", "level": 0.25}))
    inst, opinion = model.institutions[0], model.consumers.opinion
    opinion[inst.members[:4], 0] = -0.1  # 4 of 20
    assert not institutions.triggered(model, inst, 0)
    opinion[inst.members[4], 0] = -0.1  # 5 of 20
    assert institutions.triggered(model, inst, 0)
    opinion[inst.members[4], 0] = 0.0  # zero is not negative
    assert not institutions.triggered(model, inst, 0)


def test_institution_without_members_never_triggers():
    model = model_with(institution(share=0.0, trigger=ALWAYS))
    assert not institutions.triggered(model, model.institutions[0], 0)


# ---------------------------------------------------------------------- campaigns


def pressured(model) -> bool:
    return bool(model.consumers.pressure[:, 0].any())


def test_campaign_runs_for_campaign_steps_then_can_restart():
    model = model_with(institution(campaign_steps=4, trigger={"when": "misconduct", "level": 0.0}))
    inst, people = model.institutions[0], model.consumers
    people.detected[inst.members[0], 0] = True
    running = []
    for t in range(1, 8):
        institutions.step(model, t)
        people.detected[:] = False  # the trigger held only at t = 1
        running.append(pressured(model))
    assert running == [True] * 4 + [False] * 3
    assert inst.campaigns_started.tolist() == [1]
    people.detected[inst.members[0], 0] = True
    institutions.step(model, 8)
    assert pressured(model)
    assert inst.campaigns_started.tolist() == [2]


def test_recorded_campaigning_matches_the_steps_the_campaign_ran():
    model = model_with(institution(campaign_steps=3, trigger={"when": "misconduct", "level": 0}))
    inst, people = model.institutions[0], model.consumers
    report = INSTITUTION_REPORTERS["campaigning"]
    people.detected[inst.members[0], 0] = True
    ran, recorded = [], []
    for t in range(1, 6):
        institutions.step(model, t)
        people.detected[:] = False
        ran.append(pressured(model))
        recorded.append(report(inst)[0])
    assert ran == [True, True, True, False, False]
    assert recorded == ran


def test_pressure_combines_credibility_of_all_campaigning_institutions():
    model = model_with(
        institution("A", share=0.5, credibility=0.6, trigger=ALWAYS),
        institution("B", share=0.5, credibility=0.3, trigger=ALWAYS),
    )
    institutions.step(model, 1)
    a, b = (model.consumers.membership[:, k] for k in range(2))
    pressure = model.consumers.pressure[:, 0]
    assert (a & b).sum() > 20
    assert (a & ~b).sum() > 20
    assert (~a & ~b).sum() > 20
    np.testing.assert_allclose(pressure[a & b], 1 - (1 - 0.6) * (1 - 0.3))
    np.testing.assert_allclose(pressure[a & ~b], 0.6)
    np.testing.assert_allclose(pressure[~a & b], 0.3)
    assert np.all(pressure[~a & ~b] == 0.0)


def test_pressure_is_rebuilt_every_step():
    model = model_with(institution(campaign_steps=1, trigger={"when": "misconduct", "level": 0}))
    model.consumers.detected[model.institutions[0].members[0], 0] = True
    institutions.step(model, 1)
    assert pressured(model)
    model.consumers.detected[:] = False
    institutions.step(model, 2)
    assert not pressured(model)


def test_pressure_follows_overlapping_campaigns_as_they_end():
    once = {"when": "misconduct", "level": 0}
    model = model_with(
        institution("A", share=0.5, credibility=0.6, campaign_steps=1, trigger=once),
        institution("B", share=0.5, credibility=0.3, campaign_steps=3, trigger=once),
    )
    people = model.consumers
    a, b = (people.membership[:, k] for k in range(2))
    people.detected[:, 0] = a & b  # both triggers fire at t = 1 only
    relief_a, relief_b = np.where(a, 1 - 0.6, 1.0), np.where(b, 1 - 0.3, 1.0)
    expected = {
        1: 1.0 - relief_a * relief_b,
        2: 1.0 - relief_b,  # A's campaign ended, B's runs on
        3: 1.0 - relief_b,
        4: np.zeros(people.n),
    }
    for t in range(1, 5):
        institutions.step(model, t)
        people.detected[:] = False
        np.testing.assert_array_equal(people.pressure[:, 0], expected[t], err_msg=f"t={t}")


def test_institution_campaigns_only_against_its_targets():
    model = model_with(institution(trigger=ALWAYS, targets=["B"]), firms=("A", "B"))
    institutions.step(model, 1)
    inst = model.institutions[0]
    assert inst.watches.tolist() == [False, True]
    assert inst.campaigns_started.tolist() == [0, 1]
    assert not model.consumers.pressure[:, 0].any()
    assert model.consumers.pressure[:, 1].any()


# ------------------------------------------------------------------ campaign kernel


def run_petition(opinion, members, rate, f=0):
    """Apply one petition step on copies; return (boycott, signers)."""
    opinion = np.array(opinion, dtype=float)
    boycott = np.zeros(opinion.shape, dtype=bool)
    members = np.asarray(members, dtype=np.int64)
    signers = petition(members, opinion, boycott, SEED, STREAM, T, f, 2 * 64 + f, rate)
    return boycott, signers


def run_call(opinion, members, *, reach, step, target, f=0):
    """Apply one call on a copy; return the new opinions."""
    opinion = np.array(opinion, dtype=float)
    is_member = np.zeros(opinion.shape[0], dtype=bool)
    is_member[members] = True
    params = CallParams(key=2 * 64 + f, reach=reach, step=step, target=target)
    call(is_member, opinion, SEED, STREAM + 1, T, f, params)
    return opinion


def test_petition_signers_are_negative_members_and_boycott():
    opinion = np.array([[-0.5], [0.5], [-0.1], [0.0], [-0.9], [-0.9]])
    boycott, signers = run_petition(opinion, [0, 1, 2, 3, 4], rate=1.0)
    assert boycott[:, 0].tolist() == [True, False, True, False, True, False]  # 5: not a member
    assert signers == 3


def test_petition_rate_is_a_per_member_probability():
    n = 40_000
    members = np.arange(0, n, 2)
    boycott, signers = run_petition(np.full((n, 1), -0.5), members, rate=0.3)
    assert signers == boycott.sum()
    assert not boycott[1::2].any()
    assert abs(signers - 0.3 * members.size) < 5 * np.sqrt(members.size * 0.3 * 0.7)


@pytest.mark.parametrize("target", [-1.0, 1.0])
def test_call_moves_members_and_reached_outsiders_toward_its_target(target):
    n, f = 20_000, 1
    opinion = np.tile(np.linspace(-1, 1, n)[:, None], (1, 2))
    members = np.arange(100)
    new = run_call(opinion, members, reach=0.1, step=0.25, target=target, f=f)
    reached = rng.uniform(SEED, STREAM + 1, T, np.arange(n), 2 * 64 + f) < 0.1
    reached[members] = True
    np.testing.assert_allclose(
        new[reached, f], opinion[reached, f] + 0.25 * (target - opinion[reached, f])
    )
    assert np.array_equal(new[~reached, f], opinion[~reached, f])
    assert np.array_equal(new[:, 0], opinion[:, 0])
    assert abs((~reached[100:]).mean() - 0.9) < 0.02


# --------------------------------------------------------------------- model level


def boycott_participation(with_institutions: bool) -> float:
    """Mean boycott share of the manipulative firm over a run, same seed either way."""
    scenario = {
        "graph": {"kind": "barabasi_albert", "n": 2000, "m": 3},
        "consumers": {"information_parity": 0.6},
        "firms": [
            {"name": "Manip", "strategy": "manipulative", "misconduct_rate": 0.2},
            {"name": "Care", "strategy": "customer_centric"},
        ],
        "institutions": [
            {"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.15}},
            {
                "name": "BI",
                "kind": "citizen_initiative",
                "members": {"share": 0.1, "by": "community"},
            },
        ]
        if with_institutions
        else [],
    }
    model = SwarmModel.from_scenario(scenario, seed=6)
    shares = []
    for _ in range(30):
        model.step()
        shares.append(model.firms[0].boycott_share)
    if with_institutions:
        assert sum(inst.campaigns_started.sum() for inst in model.institutions) > 0
    return float(np.mean(shares))


def test_campaigns_raise_boycott_participation_against_a_control():
    alone, organized = boycott_participation(False), boycott_participation(True)
    assert organized > alone + 0.05
    assert organized > 1.5 * alone


def test_institutions_are_recorded_every_step():
    initiative = institution(kind="citizen_initiative", trigger=ALWAYS, petition={"rate": 1.0})
    model = model_with(initiative)
    model.consumers.opinion[:, 0] = -0.5
    model.step()
    frame = model.datacollector.get_agenttype_vars_dataframe(Institution)
    assert len(frame) == 2  # step 0 and step 1
    last = frame.iloc[-1]
    assert last["campaigns_started"] == (1,)
    assert last["signatures"][0] > 0
