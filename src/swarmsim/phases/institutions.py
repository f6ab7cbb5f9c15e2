"""Phase 7 — institutions: triggers, campaigns, petitions and calls.

For each institution (in scenario order) and each firm it watches: if no campaign
runs, check the trigger (share of members who detected an exposed misconduct, or
share of members with negative opinion, reaches ``trigger.level``); a triggered
campaign runs for ``campaign_steps`` steps. While it runs:

- members' boycott thresholds are lowered: pressure = 1 − Π_k (1 − credibility_k);
- petition: each negative member signs with probability ``petition_rate`` and
  boycotts at once;
- call: members, and non-members reached with probability ``reach``, move their
  opinion toward −1 by credibility × call_strength.

The campaign rule is :func:`swarmsim.kernels.reference.campaign`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.kernels.params import CampaignParams
from swarmsim.kernels.reference import FIRM_SLOTS

NAME = "institutions"
STREAM = rng.stable_hash("phases.institutions")


def step(model, t: int) -> None:
    """Start, run and end campaigns; set the pressure of firms whose campaigns changed."""
    for inst in model.institutions:
        inst.active.fill(False)
        for firm in model.firms:
            f = firm.index
            if not inst.watches[f]:
                continue
            if inst.remaining[f] == 0 and triggered(model, inst, f):
                inst.remaining[f] = inst.spec.campaign_steps
                inst.campaigns_started[f] += 1
            if inst.remaining[f] > 0:
                _campaign(model, inst, f, t)
                inst.remaining[f] -= 1
                inst.active[f] = True
    running = np.array([inst.active for inst in model.institutions], dtype=np.bool_)
    running = running.reshape(len(model.institutions), len(model.firms))
    pressing = model.scratch("institutions.pressing", running.shape, np.bool_)  # last set
    for f in np.flatnonzero((running != pressing).any(axis=0)):
        _set_pressure(model, f, running[:, f])
    pressing[:] = running


def _set_pressure(model, f: int, running) -> None:
    """Set firm ``f``'s pressure column from the campaigns ``running[k]`` against it.

    A consumer's pressure is 1 − Π_k (1 − credibility_k) over the running campaigns of
    institutions it belongs to, 0 without one. It depends only on which campaigns run,
    so the phase calls this when that set changes.
    """
    relief = model.scratch("institutions.relief", (model.consumers.n,))  # Π (1 − credibility)
    relief.fill(1.0)
    for k in np.flatnonzero(running):
        inst = model.institutions[k]
        relief[inst.members] *= 1.0 - inst.spec.credibility
    np.subtract(1.0, relief, out=model.consumers.pressure[:, f])


def triggered(model, inst, f: int) -> bool:
    """Whether the institution's trigger fires against firm ``f`` now."""
    members = inst.members
    if members.size == 0:
        return False
    trigger = inst.spec.trigger
    if trigger.when == "misconduct":
        detectors = np.count_nonzero(model.consumers.detected[:, f][members])
        return detectors > 0 and detectors / members.size >= trigger.level
    negative = np.count_nonzero(model.consumers.opinion[:, f][members] < 0.0)
    return negative / members.size >= trigger.level


def _campaign(model, inst, f: int, t: int) -> None:
    people, spec = model.consumers, inst.spec
    params = CampaignParams(
        key=inst.index * FIRM_SLOTS + f,
        petition_rate=spec.petition_rate,
        reach=spec.reach,
        call_step=spec.credibility * spec.call_strength,
    )
    inst.signatures[f] += model.kernels.campaign(
        inst.members, people.membership[:, inst.index], people.opinion, people.boycott,
        model.seed, STREAM, t, f, params,
    )  # fmt: skip
