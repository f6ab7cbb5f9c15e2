"""Phase 3 — purchase: each consumer buys one unit from one firm, or nothing.

Multinomial logit over the firms it does not boycott plus the outside option:
U_if = β_o·o_if + β_q·q̂_if + β_ℓ·ℓ_if − β_p·price_f, U_0 = outside_utility.
A consumer who boycotts some firm buycotts the firms it esteems (o_if ≥
buycott_opinion): it favours them deliberately, their utility raised by buycott_pull.
The rule is :func:`swarmsim.phases.purchase.reference.choose_purchases`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.purchase import compiled, reference
from swarmsim.phases.purchase.spec import PurchaseParams
from swarmsim.state import StateArray

NAME = "purchase"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.purchase")

STATE = (
    StateArray(
        "purchase", np.int64, "consumer", -1, "firm bought from this step, -1 for none",
        start_of_step="clear",
    ),
    StateArray("buycott", np.bool_, "firm", False, "favours the firm deliberately this step"),
)  # fmt: skip
"""The choice of this step, read by experience and market accounting, and the buycotts."""


def params(model) -> PurchaseParams:
    """Return the scenario's logit weights."""
    spec = model.spec.purchase
    return PurchaseParams(
        spec.beta_opinion, spec.beta_quality, spec.beta_loyalty, spec.beta_price,
        spec.outside_utility, spec.buycott_pull, spec.buycott_opinion,
    )  # fmt: skip


def step(model, t: int) -> None:
    """Fill ``consumers.purchase`` with the chosen firm (−1 = none); count each firm's sales."""
    people = model.consumers
    prices = np.array([firm.price for firm in model.firms])
    sales = KERNELS[model.backend].choose_purchases(
        people.opinion, people.expectation, people.loyalty, people.boycott, people.buycott,
        prices, model.seed, STREAM, t, params(model), people.purchase,
    )  # fmt: skip
    for firm in model.firms:
        firm.sales = int(sales[firm.index])
        firm.buycotters = np.count_nonzero(people.buycott[:, firm.index]) / people.n
