"""Firms answer boycotts and scandals (docs/model.md §7.1, "Responses").

A firm with no move running starts one when its boycott share (last step's) reaches
``response.trigger`` or its misconduct was exposed in the last step. The move lasts
``response.duration`` steps and costs money:

- ``apology``: apology and remedy — each step every consumer who knows of its
  misconduct and holds a negative opinion of it hears the apology and moves toward +1
  by ``apology_step`` (service recovery); every boycotter gets a remedy worth
  ``remedy_cost``;
- ``price_cut``: its price is ``1 − price_cut`` of the list price (revenue per unit
  falls with it);
- ``dialogue``: it answers every complaint, whatever its strategy (``campaign_cost``
  per consumer per step);
- ``reform``: its misconduct rate falls by ``reform_cut`` for good (and the campaign
  costs ``campaign_cost`` per consumer per step while it runs);
- ``advertise``: deny and advertise harder — ad reach × ``ad_boost`` (the contacts
  cost as usual);
- ``nothing``.

``move: auto`` is the strategy's answer: apology while m < 0.5, advertise otherwise, so
an adaptive firm that changes its strategy changes its answer with it. The apology's
opinion step is the institutions' call kernel, addressed to the aggrieved only.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.institutions.kinds import KERNELS
from swarmsim.phases.institutions.spec import CallParams

__all__ = ["respond", "strategy_move"]

STREAM = rng.stable_hash("phases.firms_decide.respond")


def strategy_move(firm) -> str:
    """Return the move ``firm`` makes: its ``response.move``, or under ``auto`` its strategy's."""
    move = firm.spec.response.move
    if move != "auto":
        return move
    return "apology" if firm.manipulation < 0.5 else "advertise"


def respond(model, t: int) -> None:
    """Start, run and end every firm's response for step ``t``."""
    for firm in model.firms:
        spec = firm.spec.response
        if firm.response_left == 0:
            firm.response = ""
            if firm.boycott_share >= spec.trigger or firm.exposed_share > 0.0:
                _start(firm, strategy_move(firm))
        if firm.response_left > 0:
            _act(model, firm, t)
            firm.response_left -= 1


def _start(firm, move: str) -> None:
    if move == "nothing":
        return
    firm.response = move
    firm.response_left = firm.spec.response.duration
    firm.responses_started += 1
    if move == "reform":
        firm.misconduct_factor *= 1.0 - firm.spec.response.reform_cut


def _act(model, firm, t: int) -> None:
    """One step of the running move: the apology's opinion step and the move's cost."""
    spec, people, f = firm.spec.response, model.consumers, firm.index
    if firm.response == "apology":
        firm.response_cost_due += spec.remedy_cost * np.count_nonzero(people.boycott[:, f])
        aggrieved = model.scratch("respond.aggrieved", (people.n,), np.bool_)
        np.less(people.opinion[:, f], 0.0, out=aggrieved)
        aggrieved &= people.aware[:, f]
        params = CallParams(key=f, reach=0.0, step=spec.apology_step, target=1.0)
        KERNELS[model.backend].call(aggrieved, people.opinion, model.seed, STREAM, t, f, params)
    elif firm.response in ("dialogue", "reform"):
        firm.response_cost_due += spec.campaign_cost * people.n
