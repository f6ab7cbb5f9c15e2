"""Parameters of the word of mouth phase: its scenario section and its kernels' tuple."""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import Field

from swarmsim.schema import Spec, probability

__all__ = ["AdvocacyParams", "WordOfMouthParams", "WordOfMouthSpec"]


class WordOfMouthSpec(Spec):
    """Talk on the graph: speakers message neighbours, bad news travels further."""

    p_talk: float = probability(
        0.1, "probability a speaker messages a neighbour, per edge and step"
    )
    negativity_bias: float = Field(
        2.0, ge=1.0, le=20.0, description="λ: multiplies p_talk for bad news (opinion < 0), [1, 20]"
    )
    learning_rate: float = Field(
        0.3, ge=0.0, le=10.0, description="η: listener's step toward the messages, [0, 10]"
    )
    speak_threshold: float = Field(
        0.05, ge=0.0, le=2.0, description="ε: opinion change that makes a consumer speak, [0, 2]"
    )
    news_shock: float = Field(
        0.45, ge=0.0, le=2.0,
        description="opinion drop of a consumer first told of a firm's misconduct, times its "
        "peer trust, in [0, 2] (a detector's own drop is exposure.opinion_shock)",
    )
    advocacy: float = probability(
        0.1,
        "probability per step that a customer with a strong opinion of a firm (a promoter "
        "or a saboteur) speaks about it unprompted, in [0, 1]; 0: only movers speak",
    )
    advocacy_opinion: float = Field(
        0.5, gt=0.0, le=1.0,
        description="|opinion| of a firm from which its customer is a promoter (>= level) "
        "or a saboteur (<= -level), in (0, 1]",
    )
    speakers: Literal["movers", "opinionated"] = Field(
        "movers",
        description="movers: only consumers whose opinion just moved by > ε talk (news "
        "cascades); opinionated: everyone with |opinion| > ε talks every step (Bass-like)",
    )



class AdvocacyParams(NamedTuple):
    """Strong-opinion customers: |opinion| level in (0, 1], speak-up rate per step in [0, 1]."""

    level: float
    rate: float


class WordOfMouthParams(NamedTuple):
    """Talk: p_talk in [0, 1], negativity bias λ >= 1, learning rate η, threshold ε, news shock.

    ``trust_loss`` in [0, 1]: share of trust in the firm's messages a listener loses
    when first told of its misconduct.
    """

    p_talk: float
    negativity_bias: float
    learning_rate: float
    speak_threshold: float
    news_shock: float
    trust_loss: float

