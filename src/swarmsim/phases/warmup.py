"""Compile every phase's Numba kernels, or load them from the on-disk cache.

The first run on a machine compiles the kernels (about half a minute); later
processes load them from ``__pycache__``. :func:`warm_up` does that on a
three-consumer input, so the model then finds every kernel ready: call it once per
process before timing, or in each Dask worker; later calls take microseconds.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import jit
from swarmsim.phases.advertising import compiled as advertising
from swarmsim.phases.advertising.spec import AdvertisingParams
from swarmsim.phases.boycott import compiled as boycott
from swarmsim.phases.boycott.spec import BoycottParams
from swarmsim.phases.experience import compiled as experience
from swarmsim.phases.experience.spec import ExperienceParams
from swarmsim.phases.exposure import compiled as exposure
from swarmsim.phases.exposure.spec import ExposureParams
from swarmsim.phases.institutions import compiled as institutions
from swarmsim.phases.institutions.spec import CampaignParams
from swarmsim.phases.purchase import compiled as purchase
from swarmsim.phases.purchase.spec import PurchaseParams
from swarmsim.phases.word_of_mouth import compiled as word_of_mouth
from swarmsim.phases.word_of_mouth.spec import WordOfMouthParams

__all__ = ["COMPILED", "warm_up"]

COMPILED = (advertising, purchase, experience, exposure, word_of_mouth, institutions, boycott)
"""Every phase's module of Numba twins, in step order."""


def warm_up() -> None:
    """Compile or load every kernel on inputs of the types and layouts the model passes.

    Per-firm state is ``(n, F)`` column-major and parameters are floats, as in the
    model, so no kernel is compiled again for another signature.
    """
    n, n_firms = 3, 2
    indptr = np.array([0, 1, 2, 2], dtype=np.int64)
    indices = np.array([1, 0], dtype=np.int32)  # CSRGraph's node ids while n < 2**31
    ones = np.ones(n)

    def per_firm(dtype=np.float64):
        return np.zeros((n, n_firms), dtype=dtype, order="F")

    opinion, flags = per_firm(), per_firm(np.bool_)
    bought = np.zeros(n, dtype=np.int64)
    membership = per_firm(np.bool_)  # (n, I) column-major, as the model's
    advertising.advertise(
        ones, ones, opinion, per_firm(), 0, 0, 0, 0, AdvertisingParams(*[0.5] * 5)
    )
    purchase.choose_purchases(
        opinion, opinion, opinion, flags, np.ones(n_firms), 0, 0, 0,
        PurchaseParams(*[0.5] * 5), bought,
    )  # fmt: skip
    experience.experience(
        bought, ones, opinion, per_firm(), per_firm(), flags, 0, 0, 0, 0,
        ExperienceParams(*[0.5] * 13),
    )  # fmt: skip
    exposure.detect_misconduct(
        ones, ones, opinion, flags, per_firm(np.bool_), 0, 0, 0, 0, ExposureParams(0.5, 0.5)
    )
    word_of_mouth.word_of_mouth(
        indptr, indices, flags, opinion, ones, ones, ones, 0, 0, 0, 0,
        WordOfMouthParams(*[0.5] * 4), per_firm(np.bool_),
    )  # fmt: skip
    word_of_mouth.independent_cascade(indptr, indices, bought, 0.5, 0, 0, 0, 0, flags[:, 0].copy())
    institutions.campaign(
        np.array([0], dtype=np.int64), membership[:, 0], opinion, flags, 0, 0, 0, 0,
        CampaignParams(0, 0.5, 0.5, 0.5),
    )  # fmt: skip
    institutions.campaign_pressure(membership, np.full(n_firms, 0.5), 0, opinion)
    institutions.negative_members(np.array([0], dtype=np.int64), opinion, 0)
    out = per_firm(np.bool_)
    boycott.boycott_update(
        indptr, indices, flags, opinion, ones, ones, ones, opinion, 0, BoycottParams(0.0, 0.0),
        out[:, 0],
    )  # fmt: skip
    boycott.boycott_update_cached(
        indptr, indices, flags, opinion, ones, ones, ones, opinion, 0, BoycottParams(0.0, 0.0),
        per_firm(), per_firm(np.bool_), out[:, 0],
    )  # fmt: skip
    jit.triangular(0, 0, 0, 0, 0)
