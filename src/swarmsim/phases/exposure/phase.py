"""Phase 5 — exposure: hidden misconduct happens and some consumers find out.

Firm f has a misconduct event with probability μ·m per step (draw
``uniform(seed, EVENT, t, f, 0)``). Each consumer then detects it first-hand with
probability direct_share·information_parity·c_i (× maven factor, × the detection boost
of consumer protection's oversight while one is in force), so few learn it
directly; detectors' opinion drops by ``opinion_shock`` — loyalty does not shield
them — they become aware of it, may boycott the firm again if they had given up, and
speak in this step's word of mouth, which carries the news on. The rule is
:func:`swarmsim.phases.exposure.reference.detect_misconduct`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.exposure import compiled, reference
from swarmsim.phases.exposure.spec import ExposureParams
from swarmsim.phases.institutions.kinds import detection_boost
from swarmsim.state import StateArray

NAME = "exposure"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.exposure")
EVENT = rng.stable_hash("phases.exposure.event")

STATE = (
    StateArray(
        "detected", np.bool_, "firm", False, "detected the firm's misconduct this step",
        start_of_step="clear",
    ),
    StateArray(
        "aware", np.bool_, "firm", False,
        "knows of a misconduct of the firm (detected it, or was told by someone aware)",
    ),
)  # fmt: skip
"""Who found out this step (which institutions' misconduct triggers count), and who
knows of a misconduct at all (word of mouth spreads it)."""


def lose_trust(model, firm, learned) -> None:
    """Cut the trust in ``firm``'s messages of the consumers who ``learned`` of its misconduct."""
    loss = model.spec.advertising.trust_loss
    if loss > 0.0 and learned.any():
        model.consumers.firm_trust[learned, firm.index] *= 1.0 - loss
        firm.trust_lost = True


def step(model, t: int) -> None:
    """Draw misconduct events and their detection; shock the detectors' opinions.

    A misconduct event scheduled for this step (``firm.scheduled_misconduct``, set by
    :mod:`swarmsim.events`) happens besides the random ones; a hidden one is recorded
    and nobody detects it.
    """
    people, spec = model.consumers, model.spec
    scale = spec.exposure.direct_share * spec.consumers.information_parity
    scale *= detection_boost(model, t)  # consumer protection's oversight
    params = ExposureParams(detection_scale=scale, opinion_shock=spec.exposure.opinion_shock)
    for firm in model.firms:
        f = firm.index
        rate = firm.misconduct_rate
        drawn = bool(rng.uniform(model.seed, EVENT, t, f, 0) < rate)
        scheduled, firm.scheduled_misconduct = firm.scheduled_misconduct, None
        firm.misconduct = drawn or scheduled is not None
        firm.exposed_share = 0.0
        if drawn or scheduled == "exposed":
            detectors = KERNELS[model.backend].detect_misconduct(
                people.competence, model.detection_factor, people.opinion, people.speaking,
                people.detected, model.seed, STREAM, t, f, params,
            )  # fmt: skip
            firm.exposed_share = detectors / people.n
            found = people.detected[:, f]
            people.aware[:, f] |= found
            people.gave_up[:, f] &= ~found  # fresh outrage: may boycott again
            lose_trust(model, firm, found)
