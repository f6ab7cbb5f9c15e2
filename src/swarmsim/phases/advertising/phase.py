"""Phase 2 — advertising: each firm's ads reach a share of consumers and move beliefs.

Persuasion (weight m) raises the opinion and expectation of the less competent and
backfires on the competent; informative ads (weight 1 − m) move beliefs toward the
real quality. The rule is :func:`swarmsim.phases.advertising.reference.advertise`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.advertising import compiled, reference
from swarmsim.phases.advertising.spec import AdvertisingParams
from swarmsim.state import StateArray

NAME = "advertising"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.advertising")


STATE = (
    StateArray(
        "firm_trust", np.float64, "firm", 1.0,
        "trust in the firm's own messages, in [0, 1]; lost in part on learning of its "
        "misconduct, regained slowly",
    ),
)  # fmt: skip
"""Trust in each firm's messages, which weighs its ads."""


def step(model, t: int) -> None:
    """Apply every firm's ads (trust lost in its messages recovers first); record its contacts.

    Recovery is switched on for a firm once some trust in it was lost (``firm.trust_lost``).
    """
    people, spec = model.consumers, model.spec.advertising
    for firm in model.firms:
        params = AdvertisingParams(
            reach=firm.ad_reach,
            intensity=firm.spec.ad_intensity,
            manipulation=firm.manipulation,
            quality=firm.quality,
            backfire=spec.backfire,
            wear_out=spec.wear_out,
            recovery=spec.trust_recovery if firm.trust_lost else 0.0,
        )
        firm.trust_lost |= params.wear_out * params.manipulation > 0.0
        firm.ad_contacts = KERNELS[model.backend].advertise(
            people.competence, people.peer_trust, people.firm_trust, people.opinion,
            people.expectation,
            model.seed, STREAM, t, firm.index, params,
        )  # fmt: skip
