"""Phase 2 — advertising: each firm's ads reach a share of consumers and move beliefs.

Persuasion (weight m) raises the opinion and expectation of the less competent and
backfires on the competent; informative ads (weight 1 − m) move beliefs toward the
real quality. The rule is :func:`swarmsim.phases.advertising.reference.advertise`.
"""

from __future__ import annotations

from swarmsim.kernels import rng
from swarmsim.phases.advertising import compiled, reference
from swarmsim.phases.advertising.spec import AdvertisingParams

NAME = "advertising"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.advertising")


def step(model, t: int) -> None:
    """Apply every firm's ads; record each firm's contacts for its ad cost."""
    people = model.consumers
    for firm in model.firms:
        params = AdvertisingParams(
            reach=firm.spec.ad_reach,
            intensity=firm.spec.ad_intensity,
            manipulation=firm.manipulation,
            quality=firm.quality,
            backfire=model.spec.advertising.backfire,
        )
        firm.ad_contacts = KERNELS[model.backend].advertise(
            people.competence, people.peer_trust, people.opinion, people.expectation,
            model.seed, STREAM, t, firm.index, params,
        )  # fmt: skip
