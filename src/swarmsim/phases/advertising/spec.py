"""Parameters of the advertising phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from swarmsim.schema import Spec, probability

__all__ = ["AdvertisingParams", "AdvertisingSpec"]


class AdvertisingSpec(Spec):
    """How ads work on the consumers they reach."""

    backfire: float = Field(
        0.5, ge=0.0, le=5.0, description="κ: backfire of persuasion on competent consumers, [0, 5]"
    )
    trust_loss: float = probability(
        0.5,
        "share of a consumer's trust in a firm's messages lost when it learns of the firm's "
        "misconduct (first-hand or told), in [0, 1]; 0: trust never moves",
    )
    wear_out: float = probability(
        0.05,
        "trust in a firm's messages lost per persuasive ad contact, times m and the "
        "consumer's competence, in [0, 1] (persuasion that people see through works less)",
    )
    trust_recovery: float = probability(
        0.02, "step of trust in a firm's messages back toward 1, per step, in [0, 1]"
    )



class AdvertisingParams(NamedTuple):
    """One firm's ads: reach and intensity a in [0, 1], m, real quality q, backfire κ, wear-out.

    ``recovery`` in [0, 1] is this step's regain of trust in the firm's messages by
    every consumer before the ads (0 while nothing was lost).
    """

    reach: float
    intensity: float
    manipulation: float
    quality: float
    backfire: float
    wear_out: float
    recovery: float

