"""Phase 5 — exposure: hidden misconduct happens and some consumers find out.

Firm f has a misconduct event with probability μ·m per step (draw
``uniform(seed, EVENT, t, f, 0)``). Each consumer detects it with probability
information_parity · c_i (× maven factor), draw ``uniform(seed, STREAM, t, i, f)``.
Detectors' opinion drops by ``opinion_shock`` — loyalty does not shield them — and they
speak in this step's word of mouth.
"""

from __future__ import annotations

import numpy as np

from swarmsim.agents.consumers import MAVEN
from swarmsim.kernels import rng

NAME = "exposure"
STREAM = rng.stable_hash("phases.exposure")
EVENT = rng.stable_hash("phases.exposure.event")


def step(model, t: int) -> None:
    """Draw misconduct events and their detection; shock the detectors' opinions."""
    people, spec = model.consumers, model.spec
    factor = np.where(people.role == MAVEN, spec.consumers.maven_detection_factor, 1.0)
    for firm in model.firms:
        f = firm.index
        rate = firm.spec.misconduct_rate * firm.manipulation
        firm.misconduct = bool(rng.uniform(model.seed, EVENT, t, f, 0) < rate)
        firm.exposed_share = 0.0
        if not firm.misconduct:
            continue
        detected = model.kernels.detect_misconduct(
            people.competence,
            factor,
            rng.uniform(model.seed, STREAM, t, model.slots, f),
            spec.consumers.information_parity,
        )
        people.detected[:, f] = detected
        people.opinion[detected, f] = np.maximum(
            -1.0, people.opinion[detected, f] - spec.exposure.opinion_shock
        )
        people.speaking[detected, f] = True
        firm.exposed_share = float(np.count_nonzero(detected)) / people.n
