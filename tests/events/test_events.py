"""Tests for swarmsim.events: scheduled and conditional events in scenarios and from Python."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim import Firm, SwarmModel
from swarmsim.errors import ScenarioError
from swarmsim.results import timeseries_frame
from swarmsim.scenario import load_scenario


def scenario(*events, steps=12, **extra) -> dict:
    return {
        "steps": steps,
        "backend": "numpy",
        "graph": {"kind": "barabasi_albert", "n": 600, "m": 3},
        "firms": [
            {"name": "A", "strategy": "manipulative", "misconduct_rate": 0.0},
            {"name": "B", "strategy": "customer_centric"},
        ],
        "institutions": [
            {"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.1}},
            {
                "name": "BI", "kind": "citizen_initiative", "members": {"share": 0.1},
                "founded": False, "trigger": {"when": "negative_share", "level": 0.01},
            },
        ],
        "events": list(events),
        **extra,
    }


def run(data: dict, seed: int = 3) -> SwarmModel:
    return SwarmModel.from_scenario(data, seed=seed).run()


def firm_frame(model: SwarmModel, name: str):
    frame = model.datacollector.get_agenttype_vars_dataframe(Firm).reset_index()
    return frame[frame["firm"] == name].set_index("Step")


def at(step: int, **action) -> dict:
    return {"at": step, "action": action}


@pytest.mark.parametrize(
    "event",
    [
        at(6, kind="misconduct", firm="A"),
        at(6, kind="set_parameter", path="word_of_mouth.p_talk", value=0.9),
        at(6, kind="start_campaign", institution="VZ", firm="B"),
        at(6, kind="found_institution", institution="BI"),
        at(6, kind="seed_boycotters", count=50, firm="B"),
        at(6, kind="seed_critics", count=50),
    ],
    ids=lambda e: e["action"]["kind"],
)
def test_an_event_changes_nothing_before_its_step_and_something_from_it(event):
    plain, with_event = run(scenario()), run(scenario(event))
    before, after = (timeseries_frame(m) for m in (plain, with_event))
    early, late = before["step"] < 6, before["step"] >= 6
    assert before[early].equals(after[early])  # the same seed: a byte-identical prefix
    assert not before[late].equals(after[late])


def test_exposed_misconduct_is_detected_and_hidden_misconduct_only_recorded():
    plain = run(scenario())
    exposed = run(scenario(at(5, kind="misconduct", firm="A")))
    hidden = run(scenario(at(5, kind="misconduct", firm="A", exposed=False)))
    for model in (exposed, hidden):
        assert firm_frame(model, "A").loc[5, "misconduct"]
        assert not firm_frame(model, "A").drop(index=5)["misconduct"].any()
    assert firm_frame(exposed, "A").loc[5, "exposed_share"] > 0.01
    assert firm_frame(hidden, "A").loc[5, "exposed_share"] == 0.0
    assert timeseries_frame(hidden).drop(columns="misconduct").equals(
        timeseries_frame(plain).drop(columns="misconduct")
    )


def test_set_parameter_acts_from_its_step_on():
    # Nobody can detect misconduct at parity 0; a regulation raising it makes the
    # scandal of step 7 visible.
    events = [at(7, kind="misconduct", firm="A")]
    blind = {"consumers": {"information_parity": 0.0}, "exposure": {"direct_share": 1.0}}
    quiet = run(scenario(*events, **blind))
    regulated = run(scenario(
        at(6, kind="set_parameter", path="consumers.information_parity", value=1.0),
        *events, **blind,
    ))  # fmt: skip
    assert firm_frame(quiet, "A").loc[7, "exposed_share"] == 0.0
    assert firm_frame(regulated, "A").loc[7, "exposed_share"] > 0.05
    assert regulated.spec.consumers.information_parity == 1.0
    assert regulated.spec.events == quiet.spec.events[:0] + regulated.spec.events


def test_a_change_of_conduct_sets_the_firms_manipulation():
    model = run(scenario(at(4, kind="set_parameter", path="firms.0.strategy", value="mixed")))
    strategies = firm_frame(model, "A")["strategy"]
    assert set(strategies.loc[:3]) == {"manipulative"}
    assert set(strategies.loc[4:]) == {"mixed"}
    assert model.firms[0].manipulation == 0.5


def test_campaigns_start_and_stop_on_schedule():
    model = run(scenario(
        at(3, kind="start_campaign", institution="VZ", firm="B"),
        at(6, kind="stop_campaign", institution="VZ", firm="B"),
    ))  # fmt: skip
    vz = model.institutions[0]
    assert vz.campaigns_started[1] == 1
    frame = model.datacollector.get_agenttype_vars_dataframe(type(vz)).reset_index()
    campaigning = frame[frame["institution"] == "VZ"].set_index("Step")["campaigning"]
    running = [c[1] for c in campaigning.loc[1:8]]
    assert running == [False, False, True, True, True, False, False, False]


def test_an_institution_founded_later_acts_only_from_then_on():
    frame_of = {}
    for founded_at in (None, 5):
        found = at(founded_at or 1, kind="found_institution", institution="BI")
        events = [] if founded_at is None else [found]
        model = run(scenario(*events, consumers={"initial_opinion": -0.5}))
        bi = model.institutions[1]
        frame = model.datacollector.get_agenttype_vars_dataframe(type(bi)).reset_index()
        frame_of[founded_at] = frame[frame["institution"] == "BI"].set_index("Step")
    assert not any(any(c) for c in frame_of[None]["campaigning"])
    started = [any(c) for c in frame_of[5]["campaigning"]]
    assert not any(started[:5])
    assert started[5]


def test_seeded_boycotters_and_critics_are_drawn_per_event_and_step():
    model = SwarmModel.from_scenario(scenario(
        at(2, kind="seed_boycotters", count=40, firm="B"),
        {"every": 3, "start": 2, "stop": 8, "action": {"kind": "seed_critics", "count": 7}},
        boycott={"fatigue": 0.0},
    ), seed=3)  # fmt: skip
    model.run(2)
    assert model.consumers.boycott[:, 1].sum() >= 40
    assert model.events[1].fired == 1
    model.run(10)
    assert model.events[1].fired == 3  # steps 2, 5 and 8


def test_a_condition_acts_once_from_the_step_after_it_first_holds():
    model = run(scenario(
        at(3, kind="seed_boycotters", count=120, firm="A"),
        {"when": {"firm": "A", "measure": "boycott_share", "above": 0.1},
         "action": {"kind": "start_campaign", "institution": "VZ", "firm": "B"}},
    ))  # fmt: skip
    share = firm_frame(model, "A")["boycott_share"]
    first = int(share[share > 0.1].index.min())
    vz = model.institutions[0]
    frame = model.datacollector.get_agenttype_vars_dataframe(type(vz)).reset_index()
    campaigning = frame[frame["institution"] == "VZ"].set_index("Step")["campaigning"]
    assert not campaigning.loc[first][1]
    assert campaigning.loc[first + 1][1]
    assert model.events[1].fired == 1


def test_events_from_python_match_events_in_the_scenario():
    event = at(6, kind="misconduct", firm="A")
    from_file = run(scenario(event))
    model = SwarmModel.from_scenario(scenario(), seed=3)
    model.run(2)
    model.schedule(event)
    model.run(10)
    assert timeseries_frame(model).equals(timeseries_frame(from_file))
    with pytest.raises(ValueError, match="past"):
        model.schedule(at(3, kind="misconduct", firm="A"))


# fmt: off
BAD_EVENTS = [
        (at(6, kind="misconduct", firm="C"), "events.0.action.firm", "firm 'C' does not exist"),
        (at(13, kind="misconduct", firm="A"), "events.0.at", "beyond steps (12)"),
        ({"every": 2, "start": 20, "action": {"kind": "seed_critics", "count": 1}},
         "events.0.start", "beyond steps"),
        (at(2, kind="set_parameter", path="graph.n", value=5), "events.0.action.path",
         "cannot change during a run"),
        (at(2, kind="set_parameter", path="boycott.join_opinion", value=7),
         "events.0.action.value", "less than or equal to 1"),
        (at(2, kind="set_parameter", path="purchase.beta_price_", value=1),
         "events.0.action.value", "unknown key"),
        (at(2, kind="start_campaign", institution="XX", firm="A"),
         "events.0.action.institution", "institution 'XX' does not exist"),
        (at(2, kind="found_institution", institution="VZ"), "events.0.action.institution",
         "exists from the start"),
        ({"at": 2, "every": 3, "action": {"kind": "seed_critics", "count": 1}}, "events.0",
         "exactly one of at, every and when"),
        ({"at": 0, "action": {"kind": "seed_critics", "count": 1}}, "events.0.at",
         "greater than or equal to 1"),
        (at(2, kind="explode"), "events.0.action.kind", "'explode' is unknown; expected one of"),
        ({"when": {"firm": "A", "measure": "boycott_share"}, "action": {
            "kind": "seed_critics", "count": 1}}, "events.0.when", "exactly one of above"),
]
# fmt: on


@pytest.mark.parametrize(("event", "field", "expected"), BAD_EVENTS)
def test_bad_events_are_refused_in_one_line_naming_the_field(event, field, expected):
    with pytest.raises(ScenarioError) as error:
        load_scenario(scenario(event))
    assert error.value.field == field
    assert expected in error.value.expected
    assert "\n" not in str(error.value)


def test_a_python_event_is_checked_like_one_in_a_file():
    model = SwarmModel.from_scenario(scenario(), seed=1)
    with pytest.raises(ScenarioError, match=r"events\.0\.action\.firm"):
        model.schedule(at(5, kind="misconduct", firm="Nobody"))
    with pytest.raises(ScenarioError, match="cannot change during a run"):
        model.set_parameter("consumers.peer_trust", 0.5)
    assert np.isclose(model.spec.consumers.information_parity, 0.5)
