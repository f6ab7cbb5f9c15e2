"""The purchase rule in plain NumPy: the readable specification.

Its Numba twin, :mod:`swarmsim.phases.purchase.compiled`, gives the same bits
(``tests/kernels/test_parity.py``). Conventions: :mod:`swarmsim.kernels`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import fmath, rng
from swarmsim.kernels.arrays import Flags, Floats, Ints
from swarmsim.phases.purchase.spec import PurchaseParams

__all__ = ["choose_purchases"]


def choose_purchases(
    opinion: Floats,
    expectation: Floats,
    loyalty: Floats,
    boycott: Flags,
    buycott: Flags,
    price: Floats,
    seed: int,
    stream: int,
    t: int,
    params: PurchaseParams,
    out: Ints,
) -> Ints:
    """Multinomial logit choice among non-boycotted firms and the outside option.

    A consumer boycotting some firm buycotts every firm f it holds in high esteem,
    o_if ≥ buycott_opinion: it favours f deliberately, adding buycott_pull to f's
    utility (none when buycott_pull is 0). Then
    U_if = β_o·o_if + β_q·q̂_if + β_ℓ·ℓ_if − β_p·price_f + buycott_pull·y_if
    (y_if = 1 for a buycott) and U_0 = outside_utility;
    P(f) = exp(U_f) / (exp(U_0) + Σ_{g not boycotted} exp(U_g)). With weights
    w = exp(U − max U), the choice is the first option (outside, firm 0, firm 1, …)
    whose running sum of weights exceeds u·Σw, u = ``uniform(seed, stream, t, i, 0)``.
    The exponential is :func:`swarmsim.kernels.fmath.exp`, which the compiled twin
    shares bit for bit (NumPy's own ``np.exp`` differs from the C library's in the
    last bit for some arguments).

    Parameters
    ----------
    opinion, expectation, loyalty : ndarray of float64, shape (n, F)
    boycott : ndarray of bool, shape (n, F)
        Boycotted firms get weight 0.
    buycott : ndarray of bool, shape (n, F)
        Receives y: the firms each consumer buycotts this step.
    price : ndarray of float64, shape (F,)
        Currency per unit.
    out : ndarray of int64, shape (n,)
        Receives the chosen firm, or −1 for the outside option.

    Returns
    -------
    ndarray of int64, shape (F,)
        Buyers of each firm (its sales, units).
    """
    n, n_firms = opinion.shape
    options = np.empty((n, n_firms + 1))
    options[:, 0] = params.outside_utility
    engaged = boycott.any(axis=1, keepdims=True) & (params.buycott_pull > 0.0)
    buycott[:] = engaged & (opinion >= params.buycott_opinion)
    options[:, 1:] = (
        params.beta_opinion * opinion
        + params.beta_quality * expectation
        + params.beta_loyalty * loyalty
        - params.beta_price * price
    ) + params.buycott_pull * buycott
    top = options.max(axis=1, keepdims=True)
    weights = fmath.exp(options - top)
    weights[:, 1:][boycott] = 0.0
    cumulative = np.cumsum(weights, axis=1)
    target = rng.uniform(seed, stream, t, np.arange(n), 0) * cumulative[:, -1]
    out[:] = np.argmax(cumulative > target[:, None], axis=1) - 1
    return np.bincount(out + 1, minlength=n_firms + 1)[1:]

