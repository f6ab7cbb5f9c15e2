"""Parameters of the firms-decide phase: the scenario's ``adaptation`` section."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from swarmsim.schema import Spec, probability

__all__ = ["AdaptationSpec"]


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
