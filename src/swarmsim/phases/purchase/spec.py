"""Parameters of the purchase phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import Field

from swarmsim.schema import Spec

__all__ = ["PurchaseParams", "PurchaseSpec"]


class PurchaseSpec(Spec):
    """Multinomial logit over non-boycotted firms plus the outside option."""

    beta_opinion: float = Field(2.0, ge=0.0, le=50.0, description="weight of opinion, [0, 50]")
    beta_quality: float = Field(
        2.0, ge=0.0, le=50.0, description="weight of expected quality, [0, 50]"
    )
    beta_loyalty: float = Field(1.0, ge=0.0, le=50.0, description="weight of loyalty, [0, 50]")
    beta_price: float = Field(
        1.0, ge=0.0, le=50.0, description="weight of price, per currency unit, [0, 50]"
    )
    outside_utility: float = Field(
        1.0, ge=-50.0, le=50.0, description="utility of buying nothing, [-50, 50]"
    )
    buycott_pull: float = Field(
        1.0, ge=0.0, le=50.0,
        description="utility a buycotter adds to a firm it favours deliberately, [0, 50]; "
        "0: no buycotts",
    )
    buycott_opinion: float = Field(
        0.3, gt=0.0, le=1.0,
        description="opinion of a firm from which a consumer boycotting another firm "
        "favours it deliberately (buycotts it), in (0, 1]",
    )



class PurchaseParams(NamedTuple):
    """Logit weights (>= 0), the outside option's utility and the buycott's pull and level."""

    beta_opinion: float
    beta_quality: float
    beta_loyalty: float
    beta_price: float
    outside_utility: float
    buycott_pull: float
    buycott_opinion: float

