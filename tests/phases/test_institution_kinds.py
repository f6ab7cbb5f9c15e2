"""Each institution kind does what it says (phases/institutions/kinds.py).

Model-level comparisons run the same seed with and without a kind's mechanism (common
random numbers): the mechanism is the only difference, so its effect is exact or
one-sided.
"""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.model import SwarmModel
from swarmsim.phases.institutions import kinds
from swarmsim.phases.institutions import phase as institutions
from swarmsim.phases.institutions.spec import INSTITUTION_KINDS

ALWAYS = {"when": "negative_share", "level": 0.0}  # fires whatever the opinions
QUIET = {"reach": 0.0, "call_strength": 0.0}


def scandal_model(*insts: dict, seed: int = 3, n: int = 1500, steps: int = 0, **extra):
    """A manipulator with frequent misconduct and a customer-centric rival."""
    scenario = {
        "graph": {"kind": "barabasi_albert", "n": n, "m": 3},
        "consumers": {"information_parity": 0.7},
        "firms": [
            {"name": "Shady", "strategy": "manipulative", "misconduct_rate": 0.3},
            {"name": "Fair", "strategy": "customer_centric"},
        ],
        "institutions": list(insts),
        **extra,
    }
    model = SwarmModel.from_scenario(scenario, seed=seed)
    for _ in range(steps):
        model.step()
    return model


def run(model, steps: int) -> list[dict]:
    """Step ``model``; return per step each firm's (profit, fines, sales, boycott share)."""
    history = []
    for _ in range(steps):
        model.step()
        history.append(
            {f.name: (f.profit, f.fines, f.sales, f.boycott_share) for f in model.firms}
        )
    return history


# ------------------------------------------------------------------------- shared


def test_swapping_the_kind_with_every_number_equal_changes_the_outcome():
    shared = {
        "credibility": 0.6, "reach": 0.05, "call_strength": 0.1, "campaign_steps": 10,
        "members": {"share": 0.1, "by": "random"},
        "trigger": {"when": "misconduct", "level": 0.02},
    }  # fmt: skip
    outcomes = {}
    for kind in INSTITUTION_KINDS:
        model = scandal_model({"name": "I", "kind": kind, **shared})
        history = run(model, 40)
        outcomes[kind] = np.array([[v for firm in h.values() for v in firm] for h in history])
    for i, a in enumerate(INSTITUTION_KINDS):
        for b in INSTITUTION_KINDS[i + 1 :]:
            assert not np.array_equal(outcomes[a], outcomes[b]), (a, b)


# ------------------------------------------------------------- consumer protection


def protector(**sanction) -> dict:
    return {
        "name": "VZ", "kind": "consumer_protection", "members": {"share": 0.2},
        "trigger": {"when": "misconduct", "level": 0.01},
        "sanction": {"oversight_steps": 0, **sanction},
    }  # fmt: skip


def test_a_sanction_lowers_profit_by_the_fine_and_nothing_else():
    fined = scandal_model(protector(fine_share=0.04))
    free = scandal_model(protector(fine_share=0.0))
    with_fines, without = run(fined, 40), run(free, 40)
    fines = np.array([h["Shady"][1] for h in with_fines])
    assert np.count_nonzero(fines) >= 1
    for a, b in zip(with_fines, without, strict=True):
        assert a["Shady"][2:] == b["Shady"][2:]  # same sales and boycotts
        assert a["Shady"][0] == pytest.approx(b["Shady"][0] - a["Shady"][1], abs=1e-9)
        assert a["Fair"] == b["Fair"]  # never fined: its misconduct is never known
    assert fines.sum() == pytest.approx(fined.institutions[0].fines[0])


def test_the_fine_is_a_share_of_annual_revenue():
    model = scandal_model(protector(fine_share=0.04))
    inst, shady = model.institutions[0], model.firms[0]
    model.step()
    model.consumers.aware[:, 0] = True  # its misconduct is known
    revenue = shady.revenue
    inst.start_campaign(0)
    institutions.step(model, 2)
    assert shady.fines_due == pytest.approx(0.04 * kinds.WEEKS_PER_YEAR * revenue)
    assert inst.fines[0] == shady.fines_due


def test_no_fine_without_known_misconduct():
    model = scandal_model(protector(fine_share=0.04))
    model.step()
    model.consumers.aware[:] = False
    model.institutions[0].start_campaign(0)
    institutions.step(model, 2)
    assert model.firms[0].fines_due == 0.0


def test_oversight_boosts_detection_for_its_steps_only():
    model = scandal_model(protector(oversight_steps=5, detection_boost=3.0))
    inst = model.institutions[0]
    model.step()
    model.consumers.aware[:, 0] = True
    inst.start_campaign(0)
    institutions.step(model, 2)
    boosts = [kinds.detection_boost(model, t) for t in range(3, 10)]
    assert boosts == [3.0] * 5 + [1.0] * 2  # the 5 steps after the sanction


def test_oversight_detects_more_of_the_next_misconduct():
    def first_exposure_after_sanction(boost: float) -> float:
        model = scandal_model(protector(oversight_steps=52, detection_boost=boost))
        inst = model.institutions[0]
        while inst.oversight_until < 0:
            model.step()
        shady = model.firms[0]
        for _ in range(52):
            model.step()
            if shady.exposed_share > 0:
                return shady.exposed_share
        raise AssertionError("no misconduct in 52 steps")

    assert first_exposure_after_sanction(3.0) > 2 * first_exposure_after_sanction(1.0)


# -------------------------------------------------------------------------- church


def church(**appeal) -> dict:
    return {
        "name": "Parish", "kind": "church", "members": {"share": 0.3}, **QUIET,
        "credibility": 0.5, "campaign_steps": 4, "trigger": ALWAYS, "appeal": appeal,
    }  # fmt: skip


def test_a_churchs_appeal_builds_slowly_and_fades_slowly():
    model = scandal_model(church(build_steps=4, half_life=2.0), n=400)
    inst, people = model.institutions[0], model.consumers
    members = people.membership[:, 0]
    levels, pressure = [], []
    for t in range(1, 9):
        institutions.step(model, t)
        inst.watches[:] = False  # one campaign only
        levels.append(inst.level[0])
        pressure.append(people.pressure[members, 0].max())
    expected = [1 - 0.75**k for k in range(1, 5)]
    expected += [expected[-1] * 0.5 ** (k / 2) for k in range(1, 5)]
    np.testing.assert_allclose(levels, expected)
    np.testing.assert_allclose(pressure, 0.5 * np.array(expected))  # after the campaign too


@pytest.mark.parametrize(
    ("half_life", "steps"),
    [(0.0, 6), (1.0, 19)],  # no memory: ends with the campaign; fading: 2**-15 < floor
)
def test_an_appeal_ends(half_life, steps):
    model = scandal_model(church(build_steps=1, half_life=half_life), n=400)
    inst = model.institutions[0]
    for t in range(1, steps + 1):
        institutions.step(model, t)
        inst.watches[:] = False
    assert inst.level[0] == 0.0
    assert not model.consumers.pressure[:, 0].any()


# --------------------------------------------------------------- citizen initiative


def initiative(**petition) -> dict:
    return {
        "name": "BI", "kind": "citizen_initiative", "members": {"share": 0.2},
        "campaign_steps": 3, "trigger": ALWAYS, "reach": 0.0, "petition": petition,
    }  # fmt: skip


def test_a_petition_past_its_quorum_escalates_and_runs_longer():
    model = scandal_model(initiative(rate=1.0, quorum=0.05, escalated_reach=0.5), n=1000)
    inst, people = model.institutions[0], model.consumers
    people.opinion[:, 0] = -0.5  # every member signs at once: 20 % >= 5 % quorum
    inst.watches[1] = False
    institutions.step(model, 1)
    assert inst.escalated[0]
    assert inst.signatures[0] == inst.members.size
    assert inst.remaining[0] == 3 - 1 + 3  # press and politics take it up
    before = people.opinion[:, 0].copy()
    institutions.step(model, 2)  # calls now reach half of the non-members
    outsiders = ~people.membership[:, 0]
    moved = people.opinion[outsiders, 0] != before[outsiders]
    assert abs(moved.mean() - 0.5) < 0.06


def test_a_petition_below_its_quorum_does_not_escalate():
    model = scandal_model(initiative(rate=1.0, quorum=0.5), n=1000)
    inst = model.institutions[0]
    model.consumers.opinion[:, 0] = -0.5
    for t in range(1, 4):
        institutions.step(model, t)
    assert not inst.escalated[0]
    assert inst.remaining[0] == 0


def test_only_citizen_initiatives_petition():
    model = scandal_model({**protector(), "trigger": ALWAYS}, n=1000)
    model.consumers.opinion[:, 0] = -0.5
    institutions.step(model, 1)
    assert model.institutions[0].signatures[0] == 0
    assert not model.consumers.boycott.any()


# --------------------------------------------------------------- charity, foundation


def charity(strength: float) -> dict:
    return {
        "name": "Caritas", "kind": "charity_foundation", "members": {"share": 0.15},
        "trigger": {"when": "misconduct", "level": 0.01}, "campaign_steps": 20,
        "endorsement": {"strength": strength},
    }  # fmt: skip


def test_an_endorsement_raises_the_alternatives_sales_against_the_same_seed():
    endorsed = run(scandal_model(charity(0.2)), 40)
    plain = run(scandal_model(charity(0.0)), 40)
    fair_with = sum(h["Fair"][2] for h in endorsed)
    fair_without = sum(h["Fair"][2] for h in plain)
    assert fair_with > 1.05 * fair_without


def test_a_charity_endorses_only_firms_within_its_limit_and_not_its_target():
    model = scandal_model(charity(0.2))
    inst = model.institutions[0]
    inst.start_campaign(0)
    institutions.step(model, 1)
    assert inst.endorsing.tolist() == [False, True]
    inst.remaining[:] = 0
    institutions.step(model, 2)  # no campaign: no endorsement
    assert not inst.endorsing.any()


# ---------------------------------------------------------- professional association


def association(capture: float, trigger=ALWAYS) -> dict:
    return {
        "name": "Verband", "kind": "professional_association", "members": {"share": 0.2},
        "trigger": trigger, "code": {"capture": capture, "review_every": 5},
    }  # fmt: skip


def test_an_association_seals_the_firms_that_keep_its_code():
    model = scandal_model(association(capture=0.0), n=500)
    inst = model.institutions[0]
    institutions.step(model, 1)
    assert inst.sealed.tolist() == [False, True]
    assert not inst.captured
    assert inst.campaigns_started.tolist() == [1, 1]


def test_a_captured_association_seals_everyone_and_stays_silent():
    model = scandal_model(association(capture=1.0), n=500)
    inst = model.institutions[0]
    for t in range(1, 6):
        institutions.step(model, t)
    assert inst.captured
    assert inst.sealed.tolist() == [True, True]
    assert inst.campaigns_started.tolist() == [0, 0]


def test_an_associations_seal_lifts_opinions_of_the_sealed_firm():
    never = {"when": "misconduct", "level": 1.0}
    model = scandal_model(association(capture=0.0, trigger=never), n=500)
    people = model.consumers
    members = people.membership[:, 0]
    before = people.opinion[members, 1].copy()
    institutions.step(model, 1)
    assert np.all(people.opinion[members, 1] >= before)
    assert np.any(people.opinion[members, 1] > before)
