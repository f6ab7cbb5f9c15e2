"""Parameters of the institutions phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CampaignParams"]


class CampaignParams(NamedTuple):
    """One campaign step: draw key (institution·64 + firm), rates in [0, 1]."""

    key: int
    petition_rate: float
    reach: float
    call_step: float

