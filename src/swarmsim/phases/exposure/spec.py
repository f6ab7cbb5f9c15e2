"""Parameters of the exposure phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from swarmsim.schema import Spec, probability

__all__ = ["ExposureParams", "ExposureSpec"]


class ExposureSpec(Spec):
    """What detecting a firm's misconduct does."""

    opinion_shock: float = Field(
        1.0, ge=0.0, le=2.0, description="opinion drop of a detector, in [0, 2]"
    )
    direct_share: float = probability(
        0.1,
        "scales first-hand detection of an exposed misconduct (news, own dealings): "
        "P = direct_share * information_parity * competence (x maven factor), in [0, 1]; "
        "1 = everyone competent learns it at once, the rest learn it by word of mouth",
    )



class ExposureParams(NamedTuple):
    """Detection of misconduct: scale and opinion shock.

    ``detection_scale`` = direct_share x information parity, in [0, 1]; the opinion
    shock is in [0, 2].
    """

    detection_scale: float
    opinion_shock: float

