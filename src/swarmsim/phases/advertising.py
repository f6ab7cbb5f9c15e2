"""Phase 2 — advertising: each firm's ads reach a share of consumers and move beliefs.

Persuasion (weight m) raises the opinion and expectation of the less competent and
backfires on the competent; informative ads (weight 1 - m) move beliefs toward the
real quality. Draw: ``uniform(seed, STREAM, t, consumer, firm) < ad_reach``.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng

NAME = "advertising"
STREAM = rng.stable_hash("phases.advertising")


def step(model, t: int) -> None:
    """Apply every firm's ads; record each firm's contacts for its ad cost."""
    people = model.consumers
    slots = model.slots
    for firm in model.firms:
        f = firm.index
        opinion = np.ascontiguousarray(people.opinion[:, f])
        expectation = np.ascontiguousarray(people.expectation[:, f])
        firm.ad_contacts = model.kernels.advertise(
            people.competence,
            people.peer_trust,
            opinion,
            expectation,
            rng.uniform(model.seed, STREAM, t, slots, f),
            firm.spec.ad_reach,
            firm.spec.ad_intensity,
            firm.manipulation,
            firm.quality,
            model.spec.advertising.backfire,
        )
        people.opinion[:, f] = opinion
        people.expectation[:, f] = expectation
