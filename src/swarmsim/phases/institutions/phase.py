"""Phase 7 — institutions: triggers, campaigns and each kind's own mechanism.

For each founded institution (in scenario order): its kind reviews (a professional
association's code and seal); then for each firm it watches, if no campaign runs and
its kind may campaign, the trigger is checked (share of members who detected an
exposed misconduct, or share of members with negative opinion, reaches
``trigger.level``); a triggered campaign runs for ``campaign_steps`` steps. Events can
also start and stop campaigns (:mod:`swarmsim.events`). While a campaign runs:

- members' boycott thresholds are lowered: pressure = 1 − Π_k (1 − credibility_k·a_kf),
  a_kf the campaign's level (1 while campaigning; a church's appeal builds and fades);
- call: members, and non-members reached with probability ``reach``, move their
  opinion toward −1 by credibility × call_strength × a_kf;
- and what the kind adds (:mod:`swarmsim.phases.institutions.kinds`): sanctions,
  petitions that escalate, endorsements.

The kernels are :func:`swarmsim.phases.institutions.reference.call`,
:func:`~swarmsim.phases.institutions.reference.petition` and
:func:`~swarmsim.phases.institutions.reference.campaign_pressure`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.phases.institutions.kinds import KERNELS, MECHANISMS, STREAM
from swarmsim.state import StateArray

__all__ = ["KERNELS", "NAME", "STATE", "STREAM", "step", "triggered"]

NAME = "institutions"

STATE = (
    StateArray("membership", np.bool_, "institution", False, "member of institution k"),
    StateArray(
        "pressure", np.float64, "firm", 0.0,
        "campaigns' pressure on the boycott threshold against the firm, in [0, 1)",
    ),
)  # fmt: skip
"""Memberships (set when the model is built) and the pressure the boycott rule reads."""


def step(model, t: int) -> None:
    """Start, run and end campaigns; rebuild the pressure from the campaigns' levels."""
    people = model.consumers
    # relief[f, k]: 1 − credibility·level of institution k against f (1: no pressure)
    relief = np.ones((len(model.firms), len(model.institutions)))
    running = np.zeros(len(model.firms), dtype=np.bool_)  # some pressure on f this step
    for inst in model.institutions:
        inst.active.fill(False)
        if inst.founded:
            _run(model, inst, t, relief[:, inst.index], running)
    pressed = model.scratch("institutions.pressed", running.shape, np.bool_)  # pressure != 0
    # Rebuilt every step, although it changes only when campaigns start or end: columns
    # left unwritten stay on the shared zero page, which the boycott rule reads slowly.
    for f in np.flatnonzero(running):
        KERNELS[model.backend].campaign_pressure(people.membership, relief[f], f, people.pressure)
    for f in np.flatnonzero(pressed & ~running):  # pressure ended: back to none
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


def _run(model, inst, t: int, relief, running) -> None:
    """One step of one institution: its kind's review, then each firm's campaign."""
    mechanism = MECHANISMS[inst.kind]
    mechanism.review(model, inst, t)
    for firm in model.firms:
        f = firm.index
        if (
            inst.remaining[f] == 0
            and inst.watches[f]
            and mechanism.may_campaign(inst)
            and triggered(model, inst, f)
        ):
            inst.start_campaign(f)
        campaigning = bool(inst.remaining[f] > 0)  # triggered, or started by an event
        if inst.starting[f]:
            inst.starting[f] = False
            mechanism.start(model, inst, firm, t)
        inst.level[f] = mechanism.level(inst, f, campaigning)
        if campaigning:
            mechanism.campaign(model, inst, f, t)
            inst.remaining[f] -= 1
            inst.active[f] = True
        if inst.level[f] > 0.0:
            relief[f] = 1.0 - inst.spec.credibility * inst.level[f]
            running[f] = True
    mechanism.after(model, inst, t)
