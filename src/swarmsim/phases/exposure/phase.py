"""Phase 5 — exposure: hidden misconduct happens and some consumers find out.

Firm f has a misconduct event with probability μ·m per step (draw
``uniform(seed, EVENT, t, f, 0)``). Each consumer then detects it with probability
information_parity·c_i (× maven factor); detectors' opinion drops by
``opinion_shock`` — loyalty does not shield them — and they speak in this step's word
of mouth. The rule is :func:`swarmsim.phases.exposure.reference.detect_misconduct`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.exposure import compiled, reference
from swarmsim.phases.exposure.spec import ExposureParams
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
)  # fmt: skip
"""Who found out this step, which institutions' misconduct triggers count."""


def step(model, t: int) -> None:
    """Draw misconduct events and their detection; shock the detectors' opinions.

    A misconduct event scheduled for this step (``firm.scheduled_misconduct``, set by
    :mod:`swarmsim.events`) happens besides the random ones; a hidden one is recorded
    and nobody detects it.
    """
    people, spec = model.consumers, model.spec
    params = ExposureParams(spec.consumers.information_parity, spec.exposure.opinion_shock)
    for firm in model.firms:
        f = firm.index
        rate = firm.spec.misconduct_rate * firm.manipulation
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
