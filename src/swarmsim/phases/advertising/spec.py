"""Parameters of the advertising phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from swarmsim.schema import Spec

__all__ = ["AdvertisingParams", "AdvertisingSpec"]


class AdvertisingSpec(Spec):
    """How ads work on the consumers they reach."""

    backfire: float = Field(
        0.5, ge=0.0, le=5.0, description="κ: backfire of persuasion on competent consumers, [0, 5]"
    )



class AdvertisingParams(NamedTuple):
    """One firm's ads: reach and intensity a in [0, 1], m, real quality q, backfire κ."""

    reach: float
    intensity: float
    manipulation: float
    quality: float
    backfire: float

