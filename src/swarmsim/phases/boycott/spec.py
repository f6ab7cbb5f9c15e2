"""Parameters of the boycott phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field, model_validator

from swarmsim.schema import Spec, probability

__all__ = ["BoycottParams", "BoycottSpec"]


class BoycottSpec(Spec):
    """Complex contagion with hysteresis."""

    join_opinion: float = Field(
        -0.2, ge=-1.0, le=1.0, description="join only with opinion <= this, [-1, 1]"
    )
    leave_opinion: float = Field(
        0.2, ge=-1.0, le=1.0, description="leave when opinion > this, [join_opinion, 1]"
    )
    fatigue: float = probability(
        0.06,
        "chance per step that a boycotter tires and gives up, in [0, 1]; it joins again "
        "only after detecting a new misconduct (0: boycotts end by opinion alone)",
    )

    @model_validator(mode="after")
    def _hysteresis(self):
        if self.leave_opinion < self.join_opinion:
            raise ValueError(
                f"leave_opinion must be >= join_opinion "
                f"({self.leave_opinion} < {self.join_opinion})"
            )
        return self


class BoycottParams(NamedTuple):
    """Hysteresis (join at opinion <= join_opinion, leave above leave_opinion) and fatigue.

    A boycotter tires with probability ``fatigue`` per step, in [0, 1].
    """

    join_opinion: float
    leave_opinion: float
    fatigue: float

