"""Parameters of the exposure phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from swarmsim.schema import Spec

__all__ = ["ExposureParams", "ExposureSpec"]


class ExposureSpec(Spec):
    """What detecting a firm's misconduct does."""

    opinion_shock: float = Field(
        1.0, ge=0.0, le=2.0, description="opinion drop of a detector, in [0, 2]"
    )



class ExposureParams(NamedTuple):
    """Detection of misconduct: information parity in [0, 1], opinion shock in [0, 2]."""

    information_parity: float
    opinion_shock: float

