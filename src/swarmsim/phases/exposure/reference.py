"""The exposure rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.exposure.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Flags, Floats
from swarmsim.phases.exposure.spec import ExposureParams

__all__ = ["detect_misconduct"]


def detect_misconduct(
    competence: Floats,
    detection_factor: Floats,
    opinion: Floats,
    speaking: Flags,
    detected: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: ExposureParams,
) -> int:
    """Who detects firm ``f``'s exposed misconduct; shock detectors; return their count.

    Consumer i detects when ``uniform(seed, stream, t, i, f) < min(1, scale·c_i·factor_i)``
    (scale = direct_share · information_parity; factor = maven_detection_factor for
    mavens, else 1). A detector's opinion drops by
    ``opinion_shock`` (floored at −1) whatever its loyalty, and it speaks.

    Parameters
    ----------
    detection_factor : ndarray of float64, shape (n,)
        >= 1.
    opinion : ndarray of float64, shape (n, F)
        Column ``f`` updated in place.
    speaking, detected : ndarray of bool, shape (n, F)
        Column ``f`` set for detectors.
    """
    n = competence.shape[0]
    chance = np.minimum(1.0, params.detection_scale * competence * detection_factor)
    who = np.flatnonzero(rng.uniform(seed, stream, t, np.arange(n), f) < chance)
    opinion[who, f] = np.maximum(-1.0, opinion[who, f] - params.opinion_shock)
    speaking[who, f] = True
    detected[who, f] = True
    return int(who.shape[0])

