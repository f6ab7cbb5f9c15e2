"""The advertising rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.advertising.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Floats
from swarmsim.phases.advertising.spec import AdvertisingParams

__all__ = ["advertise"]


def advertise(
    competence: Floats,
    peer_trust: Floats,
    firm_trust: Floats,
    opinion: Floats,
    expectation: Floats,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: AdvertisingParams,
) -> int:
    """Apply firm ``f``'s ads to the consumers they reach; return the number of contacts.

    First every consumer regains trust in the firm's messages, T ← T + r·(1 − T) with
    r = ``recovery`` (lost trust comes back slowly). Consumer i is reached when
    ``uniform(seed, stream, t, i, f) < reach``. The ad's weight s = (1 − τ_i)·a·T_if
    falls as peer trust τ rises and as trust T in the firm's own messages falls.
    Persuasion wears out: a persuasive contact costs the consumer trust in the firm's
    messages, T ← T·(1 − wear_out·m·c), the more the more competent it is (it sees
    through the persuasion). Persuasion (weight m) lifts the opinion of the less
    competent and backfires on the competent, Δo = s·m·((1 − c) − κ·c), and inflates
    their expected quality, Δq̂ = s·m·(1 − c)(1 − q̂). Informative ads (weight 1 − m)
    move opinion toward the quality signal 2q − 1 and expectation toward q. Results
    are clipped to o ∈ [−1, 1], q̂ ∈ [0, 1].

    Parameters
    ----------
    competence, peer_trust : ndarray of float64, shape (n,)
        c and τ, in [0, 1].
    firm_trust : ndarray of float64, shape (n, F)
        T, trust in each firm's messages, in [0, 1]; column ``f`` updated in place.
    opinion, expectation : ndarray of float64, shape (n, F)
        o and q̂; column ``f`` is updated in place.
    params : AdvertisingParams
        reach, intensity a, manipulation m, quality q (each in [0, 1]), backfire κ >= 0,
        wear_out and recovery r in [0, 1].
    """
    n = competence.shape[0]
    if params.recovery > 0.0:
        column = firm_trust[:, f]
        column += params.recovery * (1.0 - column)
    hit = np.flatnonzero(rng.uniform(seed, stream, t, np.arange(n), f) < params.reach)
    c, o, e, trust = competence[hit], opinion[hit, f], expectation[hit, f], firm_trust[hit, f]
    s = (1.0 - peer_trust[hit]) * params.intensity * trust
    m, q = params.manipulation, params.quality
    persuasion = m * ((1.0 - c) - params.backfire * c)
    information = (1.0 - m) * ((2.0 * q - 1.0) - o)
    opinion[hit, f] = np.clip(o + s * (persuasion + information), -1.0, 1.0)
    inflation = m * (1.0 - c) * (1.0 - e)
    correction = (1.0 - m) * (q - e)
    expectation[hit, f] = np.clip(e + s * (inflation + correction), 0.0, 1.0)
    firm_trust[hit, f] = trust * (1.0 - params.wear_out * m * c)
    return int(hit.shape[0])

