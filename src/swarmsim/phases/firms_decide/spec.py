"""Parameters of the firms-decide phase: the scenario's ``adaptation`` section."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from swarmsim.schema import Spec, probability

__all__ = ["RESPONSE_MOVES", "AdaptationSpec", "ResponseSpec"]


class AdaptationSpec(Spec):
    """How adaptive firms revise their manipulation weight m."""

    rule: Literal["fixed", "imitate", "learn"] = Field(
        "fixed", description="fixed | imitate (Fermi rule) | learn (bandit on profit)"
    )
    every: int = Field(10, ge=1, description="steps between decisions, >= 1")
    fermi_noise: float = Field(
        0.01, gt=0.0, description="K of the Fermi rule, currency per consumer per step, > 0"
    )
    mutation: float = probability(
        0.05,
        "imitate: chance per decision that a firm tries one of its strategies at random "
        "instead of imitating, in [0, 1] (0: pure imitation, which can lock in)",
    )
    recency: float = probability(
        0.3,
        "learn: weight of the newest window in an arm's value, in [0, 1] (older ones fade "
        "geometrically); 0: the plain running mean, which never forgets",
    )
    learner: Literal["epsilon_greedy", "softmax"] = Field(
        "epsilon_greedy", description="epsilon_greedy | softmax"
    )
    epsilon: float = probability(0.1, "exploration probability of epsilon_greedy, in [0, 1]")
    temperature: float = Field(
        0.01, gt=0.0, description="softmax temperature, currency per consumer per step, > 0"
    )


RESPONSE_MOVES = ("apology", "price_cut", "dialogue", "reform", "advertise", "nothing")
"""What a firm can do when boycotted or caught (docs/model.md §7.1)."""


class ResponseSpec(Spec):
    """How a firm answers a boycott or an exposed misconduct (a scandal)."""

    move: Literal[("auto", *RESPONSE_MOVES)] = Field(
        "auto",
        description="apology (and remedy) | price_cut | dialogue (campaign) | reform (stops "
        "most misconduct) | advertise (deny, advertise harder) | nothing | auto: apology "
        "while m < 0.5, advertise otherwise (so adaptive firms change it with m)",
    )
    trigger: float = probability(
        0.05, "answers when its boycott share reaches this, or its misconduct was exposed, "
        "in [0, 1]"
    )
    duration: int = Field(8, ge=1, le=10_000, description="steps a move lasts, >= 1")
    apology_step: float = probability(
        0.1, "apology: opinion step toward +1, per step, of each consumer who knows of its "
        "misconduct and holds a negative opinion of it, in [0, 1]"
    )
    remedy_cost: float = Field(
        0.2, ge=0.0, le=1e6, description="apology: cost per boycotter addressed per step, "
        "currency, >= 0",
    )  # fmt: skip
    price_cut: float = probability(0.1, "price_cut: share of the price given up, in [0, 1]")
    campaign_cost: float = Field(
        0.01, ge=0.0, le=1e6, description="dialogue and reform: cost per consumer in the "
        "market per step, currency, >= 0",
    )  # fmt: skip
    reform_cut: float = probability(
        0.9, "reform: share of the misconduct rate removed for good, in [0, 1]"
    )
    ad_boost: float = Field(
        2.0, ge=1.0, le=100.0, description="advertise: factor on ad reach (capped at 1), [1, 100]"
    )
