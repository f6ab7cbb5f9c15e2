"""The experience rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.experience.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.experience.spec import ExperienceParams

__all__ = ["experience"]


def experience(
    purchase: Ints,
    competence: Floats,
    opinion: Floats,
    expectation: Floats,
    loyalty: Floats,
    firm_trust: Floats,
    speaking: Flags,
    seed: int,
    stream: int,
    t: int,
    f: int,
    params: ExperienceParams,
) -> None:
    """Buyers of firm ``f`` compare perceived with expected quality; loyalty and learning.

    First every consumer's opinion of ``f`` fades: o ← o·(1 − opinion_decay). Then,
    for each buyer i (``purchase[i] == f``):

    - real experienced quality x = clip(q + noise_sd·ξ, 0, 1), ξ triangular with unit
      variance (counters i, 2f and 2f+1);
    - perception is assimilated toward the expectation unless competent:
      x̃ = q̂ + c·(x − q̂) (assimilation–contrast);
    - opinion moves by opinion_rate·(x̃ − q̂); a complaint (negative change) answered by
      the firm, ``uniform(seed, stream+1, t, i, f) < dialogue``, keeps only
      (1 − dialogue_damping) of the drop; expectation moves toward x̃ by
      expectation_rate; a buyer whose opinion moved more than speak_threshold speaks;
    - a disappointed buyer (x̃ < q̂) trusts the firm's messages less,
      T ← T·(1 − disappointment_distrust·(q̂ − x̃)): advertising that promised more than
      the product gave persuades it less next time;
    - loyalty rises by loyalty_gain·(1 − ℓ), plus cocreation_gain·(1 − ℓ) when invited
      to co-create, ``uniform(seed, stream+2, t, i, f) < cocreation``;
    - competence rises by education·(1 − c).

    Non-buyers' loyalty to ``f`` decays by loyalty_decay. ``dialogue``, ``cocreation``
    and ``education`` in ``params`` are already scaled by the firm's 1 − m.

    Parameters
    ----------
    purchase : ndarray of int64, shape (n,)
        Firm bought this step, −1 for none.
    competence : ndarray of float64, shape (n,)
        Updated in place for buyers (education).
    opinion, expectation, loyalty : ndarray of float64, shape (n, F)
        Column ``f`` updated in place (every consumer's opinion fades; the rest
        changes for buyers, and loyalty for non-buyers).
    firm_trust : ndarray of float64, shape (n, F)
        T, trust in each firm's messages, in [0, 1]; column ``f`` falls for
        disappointed buyers.
    speaking : ndarray of bool, shape (n, F)
        Column ``f`` set (never cleared) for buyers who speak.
    """
    n = purchase.shape[0]
    opinion[:, f] *= 1.0 - params.opinion_decay
    buyers = np.flatnonzero(purchase == f)
    others = np.ones(n, dtype=np.bool_)
    others[buyers] = False
    loyalty[others, f] *= 1.0 - params.loyalty_decay
    if buyers.shape[0] == 0:
        return
    noise = params.quality_noise * rng.triangular(seed, stream, t, buyers, f)
    real = np.clip(params.quality + noise, 0.0, 1.0)
    e = expectation[buyers, f]
    c = competence[buyers]
    perceived = e + c * (real - e)
    change = params.opinion_rate * (perceived - e)
    answered = rng.uniform(seed, stream + 1, t, buyers, f) < params.dialogue
    damp = answered & (change < 0.0)
    change[damp] *= 1.0 - params.dialogue_damping
    old = opinion[buyers, f]
    new = np.clip(old + change, -1.0, 1.0)
    opinion[buyers, f] = new
    expectation[buyers, f] = e + params.expectation_rate * (perceived - e)
    letdown = np.maximum(0.0, e - perceived)
    firm_trust[buyers, f] *= 1.0 - params.disappointment_distrust * letdown
    speaking[buyers, f] |= np.abs(new - old) > params.speak_threshold
    ell = loyalty[buyers, f]
    ell = ell + params.loyalty_gain * (1.0 - ell)
    invited = rng.uniform(seed, stream + 2, t, buyers, f) < params.cocreation
    ell[invited] += params.cocreation_gain * (1.0 - ell[invited])
    loyalty[buyers, f] = ell
    competence[buyers] = c + params.education * (1.0 - c)

