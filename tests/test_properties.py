"""Property-based tests over the scenario schema (hypothesis).

Any valid scenario runs a few steps and keeps the model's invariants; any valid scenario
mutated at one field into an invalid value is refused by the loader, as one line.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swarmsim.errors import ScenarioError
from swarmsim.model import SwarmModel
from swarmsim.phases.firms_decide.spec import RESPONSE_MOVES
from swarmsim.phases.institutions.spec import INSTITUTION_KINDS
from swarmsim.scenario import load_scenario

UNIT = st.floats(0.0, 1.0, allow_nan=False)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def scenarios(draw) -> dict:
    """A small valid scenario: any graph size, firms, institutions and key parameters."""
    n = draw(st.integers(20, 150))
    firms = [
        {
            "name": f"F{k}",
            "strategy": draw(st.sampled_from(["manipulative", "customer_centric", "mixed"])),
            "quality": draw(UNIT),
            "price": draw(st.floats(0.0, 3.0)),
            "ad_reach": draw(UNIT),
            "misconduct_rate": draw(UNIT),
            "response": {"move": draw(st.sampled_from(("auto", *RESPONSE_MOVES))),
                         "trigger": draw(UNIT)},
        }
        for k in range(draw(st.integers(1, 3)))
    ]  # fmt: skip
    institutions = [
        {"name": f"I{k}", "kind": draw(st.sampled_from(INSTITUTION_KINDS)),
         "members": {"share": draw(UNIT), "by": draw(st.sampled_from(["random", "degree"]))},
         "credibility": draw(UNIT), "trigger": {"when": "negative_share", "level": draw(UNIT)}}
        for k in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    return {
        "steps": draw(st.integers(1, 4)),
        "backend": "numpy",
        "graph": {"kind": "erdos_renyi", "n": n, "mean_degree": draw(st.floats(0.0, 8.0))},
        "consumers": {
            "information_parity": draw(UNIT),
            "activists": draw(UNIT),
            "threshold": draw(UNIT),
        },
        "firms": firms,
        "institutions": institutions,
        "adaptation": {"rule": draw(st.sampled_from(["fixed", "imitate", "learn"])), "every": 2},
    }


@SETTINGS
@given(data=scenarios(), seed=st.integers(0, 2**32))
def test_any_valid_scenario_runs_and_keeps_the_invariants(data, seed):
    model = SwarmModel.from_scenario(load_scenario(data), seed=seed).run()
    people = model.consumers
    assert np.all(np.abs(people.opinion) <= 1.0)
    for name in ("expectation", "loyalty", "firm_trust", "competence"):
        values = getattr(people, name)
        assert np.all((values >= 0.0) & (values <= 1.0)), name
    assert np.all((people.pressure >= 0.0) & (people.pressure < 1.0))
    shares = sum(firm.market_share for firm in model.firms)
    assert math.isclose(shares + model.outside_share, 1.0)
    for firm in model.firms:
        assert firm.sales >= 0
        assert 0.0 <= firm.boycott_share <= 1.0
        assert 0.0 <= firm.manipulation <= 1.0
        assert math.isfinite(firm.profit)
        assert firm.profit == firm.revenue - firm.cost


BAD_VALUES = st.sampled_from([1.5, -0.1, True, "x", math.inf, math.nan, None, [1]])
PROBABILITIES = [
    ("consumers", "information_parity"), ("consumers", "activists"),
    ("firms", 0, "quality"), ("firms", 0, "ad_reach"), ("firms", 0, "misconduct_rate"),
    ("firms", 0, "response", "trigger"),
]  # fmt: skip


@SETTINGS
@given(data=scenarios(), where=st.sampled_from(PROBABILITIES), value=BAD_VALUES)
def test_a_scenario_with_one_bad_value_is_refused_in_one_line(data, where, value):
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    with pytest.raises(ScenarioError) as error:
        load_scenario(data)
    assert "\n" not in str(error.value)
    assert error.value.field.endswith(str(where[-1]))


@SETTINGS
@given(data=scenarios(), key=st.text("abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12))
def test_an_unknown_key_is_refused(data, key):
    if key in data or key in ("name", "seed", "description"):
        return
    data[key] = 1
    with pytest.raises(ScenarioError) as error:
        load_scenario(data)
    assert error.value.field == key
