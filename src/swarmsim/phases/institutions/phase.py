"""Phase 7 — institutions: triggers, campaigns, petitions and calls.

For each founded institution (in scenario order) and each firm it watches: if no
campaign runs, check the trigger (share of members who detected an exposed
misconduct, or share of members with negative opinion, reaches ``trigger.level``);
a triggered campaign runs for ``campaign_steps`` steps. Events can also start and
stop campaigns (:mod:`swarmsim.events`). While a campaign runs:

- members' boycott thresholds are lowered: pressure = 1 − Π_k (1 − credibility_k);
- petition: each negative member signs with probability ``petition_rate`` and
  boycotts at once;
- call: members, and non-members reached with probability ``reach``, move their
  opinion toward −1 by credibility × call_strength.

The rules are :func:`swarmsim.phases.institutions.reference.campaign` and
:func:`~swarmsim.phases.institutions.reference.campaign_pressure`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.institutions import compiled, reference
from swarmsim.phases.institutions.spec import CampaignParams
from swarmsim.state import StateArray

NAME = "institutions"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.institutions")

STATE = (
    StateArray("membership", np.bool_, "institution", False, "member of institution k"),
    StateArray(
        "pressure", np.float64, "firm", 0.0,
        "campaigns' pressure on the boycott threshold against the firm, in [0, 1)",
    ),
)  # fmt: skip
"""Memberships (set when the model is built) and the pressure the boycott rule reads."""


def step(model, t: int) -> None:
    """Start, run and end campaigns; rebuild the pressure from the running campaigns."""
    people = model.consumers
    # relief[f, k]: 1 − credibility of institution k while it campaigns against f, else 1
    relief = np.ones((len(model.firms), len(model.institutions)))
    running = np.zeros(len(model.firms), dtype=np.bool_)  # a campaign against f this step
    for inst in model.institutions:
        inst.active.fill(False)
        if not inst.founded:
            continue
        for firm in model.firms:
            f = firm.index
            if inst.remaining[f] == 0 and inst.watches[f] and triggered(model, inst, f):
                inst.start_campaign(f)
            if inst.remaining[f] > 0:  # triggered, or started by an event
                relief[f, inst.index] = 1.0 - inst.spec.credibility
                running[f] = True
                _campaign(model, inst, f, t)
                inst.remaining[f] -= 1
                inst.active[f] = True
    pressed = model.scratch("institutions.pressed", running.shape, np.bool_)  # pressure != 0
    # Rebuilt every step, although it changes only when campaigns start or end: columns
    # left unwritten stay on the shared zero page, which the boycott rule reads slowly.
    for f in np.flatnonzero(running):
        KERNELS[model.backend].campaign_pressure(people.membership, relief[f], f, people.pressure)
    for f in np.flatnonzero(pressed & ~running):  # campaigns ended: back to no pressure
        people.pressure[:, f] = 0.0
    pressed[:] = running


def triggered(model, inst, f: int) -> bool:
    """Whether the institution's trigger fires against firm ``f`` now."""
    members = inst.members
    if members.size == 0:
        return False
    trigger = inst.spec.trigger
    if trigger.when == "misconduct":
        detectors = np.count_nonzero(model.consumers.detected[:, f][members])
        return detectors > 0 and detectors / members.size >= trigger.level
    negative = KERNELS[model.backend].negative_members(members, model.consumers.opinion, f)
    return negative / members.size >= trigger.level


def _campaign(model, inst, f: int, t: int) -> None:
    people, spec = model.consumers, inst.spec
    params = CampaignParams(
        key=inst.index * rng.FIRM_SLOTS + f,
        petition_rate=spec.petition_rate,
        reach=spec.reach,
        call_step=spec.credibility * spec.call_strength,
    )
    inst.signatures[f] += KERNELS[model.backend].campaign(
        inst.members, people.membership[:, inst.index], people.opinion, people.boycott,
        model.seed, STREAM, t, f, params,
    )  # fmt: skip
