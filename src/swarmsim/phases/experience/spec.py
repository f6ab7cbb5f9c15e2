"""Parameters of the experience phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from swarmsim.schema import Spec, probability

__all__ = ["ExperienceParams", "ExperienceSpec"]


class ExperienceSpec(Spec):
    """How buying and using the product updates beliefs."""

    opinion_rate: float = probability(0.5, "opinion change per unit of quality surprise, in [0, 1]")
    opinion_decay: float = probability(
        0.02, "share of every opinion forgotten per step (memory fades toward 0), in [0, 1]"
    )
    expectation_rate: float = probability(0.3, "step of expected quality toward experience, [0, 1]")
    quality_noise: float = Field(
        0.1, ge=0.0, le=1.0, description="sd of experienced quality around real quality, [0, 1]"
    )
    loyalty_gain: float = probability(0.05, "loyalty step toward 1 per purchase, in [0, 1]")
    loyalty_decay: float = probability(0.02, "loyalty decay per step without purchase, in [0, 1]")
    cocreation_gain: float = probability(
        0.3, "loyalty step toward 1 for invited co-creators, [0, 1]"
    )
    dialogue_damping: float = probability(
        0.5, "share of a complaint's opinion drop removed when the firm answers, in [0, 1]"
    )
    disappointment_distrust: float = probability(
        0.5,
        "share of a buyer's trust in the firm's messages lost per unit of disappointment "
        "(expected minus perceived quality), in [0, 1]; 0: disappointment leaves trust",
    )



class ExperienceParams(NamedTuple):
    """One firm's buyers' experience; dialogue, cocreation, education scaled by 1 − m."""

    opinion_decay: float
    quality: float
    quality_noise: float
    opinion_rate: float
    expectation_rate: float
    dialogue: float
    dialogue_damping: float
    speak_threshold: float
    loyalty_gain: float
    loyalty_decay: float
    cocreation: float
    cocreation_gain: float
    education: float
    disappointment_distrust: float

