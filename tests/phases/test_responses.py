"""Firms answer boycotts and scandals (phases/firms_decide/respond.py)."""

from __future__ import annotations

import numpy as np
import pytest

from swarmsim.model import SwarmModel
from swarmsim.phases.firms_decide.respond import respond, strategy_move
from swarmsim.results import timeseries_frame

CALM = {"move": "nothing"}


def model_with(*responses: dict, strategies=("customer_centric", "manipulative"), n=800, **extra):
    scenario = {
        "graph": {"kind": "barabasi_albert", "n": n, "m": 3},
        "firms": [
            {"name": f"F{k}", "strategy": strategy, "misconduct_rate": 0.0, "response": response}
            for k, (strategy, response) in enumerate(zip(strategies, responses, strict=True))
        ],
        **extra,
    }
    return SwarmModel.from_scenario(scenario, seed=4)


def boycotted(model, f: int, share: float) -> None:
    """Make a share of consumers boycott firm ``f`` as the last step left it."""
    people = model.consumers
    people.boycott[: round(share * people.n), f] = True
    model.firms[f].boycott_share = share


# -------------------------------------------------------------------------- trigger


def test_a_firm_answers_once_its_boycott_reaches_the_trigger():
    model = model_with({"move": "price_cut", "trigger": 0.1, "duration": 3}, CALM)
    firm = model.firms[0]
    boycotted(model, 0, 0.09)
    respond(model, 1)
    assert firm.response == ""
    boycotted(model, 0, 0.1)
    running = []
    for t in range(2, 7):
        respond(model, t)
        running.append(firm.response)
    assert running == ["price_cut"] * 3 + ["price_cut"] * 2  # still boycotted: again
    assert firm.responses_started == 2


def test_a_move_runs_its_duration_and_ends():
    model = model_with({"move": "dialogue", "duration": 2}, CALM)
    firm = model.firms[0]
    firm.exposed_share = 0.01  # a scandal in the last step
    respond(model, 1)
    firm.exposed_share = 0.0
    respond(model, 2)
    assert firm.response == "dialogue"
    respond(model, 3)
    assert firm.response == ""
    assert firm.responses_started == 1


def test_nothing_never_starts():
    model = model_with(CALM, CALM)
    boycotted(model, 0, 0.5)
    respond(model, 1)
    assert model.firms[0].response == ""
    assert model.firms[0].responses_started == 0


@pytest.mark.parametrize(("manipulation", "move"), [(0.0, "apology"), (0.4, "apology"),
                                                    (0.5, "advertise"), (1.0, "advertise")])
def test_auto_is_the_strategys_answer_and_follows_m(manipulation, move):
    model = model_with({"move": "auto"}, CALM)
    model.firms[0].manipulation = manipulation
    assert strategy_move(model.firms[0]) == move


# ---------------------------------------------------------------------------- moves


def started(move: str, **response):
    model = model_with({"move": move, **response}, CALM)
    model.firms[0].exposed_share = 0.01
    return model, model.firms[0]


def test_an_apology_lifts_the_aggrieved_and_pays_a_remedy_per_boycotter():
    model, firm = started("apology", apology_step=0.25, remedy_cost=0.5)
    people = model.consumers
    opinion = np.linspace(-1, 1, people.n)
    people.opinion[:, 0] = opinion
    people.opinion[:, 1] = opinion
    people.aware[: people.n // 2, 0] = True
    boycotted(model, 0, 0.1)
    respond(model, 1)
    aggrieved = people.aware[:, 0] & (opinion < 0)
    np.testing.assert_allclose(
        people.opinion[aggrieved, 0], opinion[aggrieved] + 0.25 * (1 - opinion[aggrieved])
    )
    assert np.array_equal(people.opinion[~aggrieved, 0], opinion[~aggrieved])
    assert np.array_equal(people.opinion[:, 1], opinion)  # the other firm's untouched
    assert firm.response_cost_due == 0.5 * round(0.1 * people.n)


def test_a_price_cut_lowers_price_and_revenue_per_unit():
    model, firm = started("price_cut", price_cut=0.25)
    respond(model, 1)
    assert firm.price == 0.75 * firm.spec.price
    firm.book(100, 0, model.consumers.n)
    assert firm.revenue == pytest.approx(75.0 * firm.spec.price)


def test_a_dialogue_campaign_answers_every_complaint_and_costs():
    model, firm = started("dialogue", campaign_cost=0.02)
    model.firms[0].manipulation = 1.0  # even a manipulator answers during the campaign
    assert firm.dialogue == 0.0
    respond(model, 1)
    assert firm.dialogue == 1.0
    assert firm.response_cost_due == pytest.approx(0.02 * model.consumers.n)


def test_a_reform_cuts_the_misconduct_rate_for_good():
    model = model_with({"move": "reform", "reform_cut": 0.9, "duration": 1}, CALM,
                       strategies=("mixed", "manipulative"))  # fmt: skip
    firm = model.firms[0]
    model.firms[0].spec = model.firms[0].spec.model_copy(update={"misconduct_rate": 0.2})
    before = firm.misconduct_rate
    firm.exposed_share = 0.01
    respond(model, 1)
    firm.exposed_share = 0.0
    for t in range(2, 5):
        respond(model, t)
    assert firm.response == ""
    assert firm.misconduct_rate == pytest.approx(0.1 * before)


def test_advertising_back_raises_reach_up_to_one():
    model, firm = started("advertise", ad_boost=10.0)
    respond(model, 1)
    assert firm.ad_reach == 1.0
    model, firm = started("advertise", ad_boost=2.0)
    respond(model, 1)
    assert firm.ad_reach == pytest.approx(2 * firm.spec.ad_reach)


def test_the_cost_of_a_move_is_booked_in_the_step_it_falls_due():
    model, firm = started("dialogue", campaign_cost=0.01)
    respond(model, 1)
    firm.book(0, 0, model.consumers.n)
    assert firm.response_cost == pytest.approx(0.01 * model.consumers.n)
    assert firm.cost == pytest.approx(firm.response_cost + firm.spec.fixed_cost)
    firm.book(0, 0, model.consumers.n)
    assert firm.response_cost == 0.0


# --------------------------------------------------------------------- model level


def scandal(move: str, seed: int) -> int:
    """Candor's sales from its scandal in week 5 to week 30."""
    scenario = {
        "graph": {"kind": "barabasi_albert", "n": 2000, "m": 3},
        "steps": 30,
        "firms": [
            {"name": "Candor", "misconduct_rate": 0.0, "response": {"move": move}},
            {"name": "Persuado", "strategy": "manipulative", "misconduct_rate": 0.0,
             "response": CALM},
        ],
        "events": [{"at": 5, "action": {"kind": "misconduct", "firm": "Candor"}}],
    }  # fmt: skip
    frame = timeseries_frame(SwarmModel.from_scenario(scenario, seed=seed).run())
    return int(frame.loc[(frame["firm"] == "Candor") & (frame["step"] >= 5), "sales"].sum())


def test_an_apology_recovers_sales_faster_than_doing_nothing_on_the_same_seeds():
    differences = [scandal("apology", seed) - scandal("nothing", seed) for seed in range(3)]
    assert min(differences) > 0


def test_backends_agree_while_firms_respond():
    def run(backend):
        model = model_with({"move": "apology"}, {"move": "advertise"}, backend=backend, n=600)
        model.consumers.opinion[:, :] = -0.5
        model.consumers.aware[:, :] = True
        for f in (0, 1):
            boycotted(model, f, 0.2)
        for _ in range(6):
            model.step()
        return model.consumers.opinion.copy(), [firm.profit for firm in model.firms]

    (a, pa), (b, pb) = run("numpy"), run("numba")
    assert np.array_equal(a, b)
    assert pa == pb
