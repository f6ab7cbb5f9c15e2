"""Phase 3 — purchase: each consumer buys one unit from one firm, or nothing.

Multinomial logit over the firms it does not boycott plus the outside option:
U_if = β_o·o_if + β_q·q̂_if + β_ℓ·ℓ_if − β_p·price_f, U_0 = outside_utility.
Draw: ``uniform(seed, STREAM, t, consumer, 0)``.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng

NAME = "purchase"
STREAM = rng.stable_hash("phases.purchase")


def utilities(model) -> np.ndarray:
    """Return the utility U of every firm for every consumer, shape (n, F)."""
    spec, people = model.spec.purchase, model.consumers
    prices = np.array([firm.spec.price for firm in model.firms])
    return (
        spec.beta_opinion * people.opinion
        + spec.beta_quality * people.expectation
        + spec.beta_loyalty * people.loyalty
        - spec.beta_price * prices
    )


def step(model, t: int) -> None:
    """Fill ``consumers.purchase`` with the chosen firm (-1 = none)."""
    people = model.consumers
    model.kernels.choose_purchases(
        utilities(model),
        people.boycott,
        model.spec.purchase.outside_utility,
        rng.uniform(model.seed, STREAM, t, model.slots, 0),
        people.purchase,
    )
