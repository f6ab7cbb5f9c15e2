"""Parameters of the institutions phase: the five kinds' scenario sections and kernel tuples.

Every institution shares members, credibility, reach, a trigger and campaigns
(:class:`InstitutionBase`); each kind adds the mechanism that is its own, with its
own section and defaults (docs/model.md §7.7 gives the reasons):

- ``consumer_protection`` (unions, politics): ``sanction`` — a fine and a period of
  stricter oversight that raises the detection of misconduct for every firm;
- ``church``: ``appeal`` — a moral appeal that builds slowly and fades slowly;
- ``citizen_initiative``: ``petition`` — signatures that, past a quorum, escalate
  (press and politics take the campaign up);
- ``charity_foundation``: ``endorsement`` — it endorses the customer-centric
  alternatives of the firm it campaigns against (a buycott);
- ``professional_association``: ``code`` — a code of conduct, a seal for the firms
  that keep it, and the risk of capture by the industry it represents.
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, Field, model_validator

from swarmsim.schema import Spec, probability

__all__ = [
    "INSTITUTION_KINDS",
    "CallParams",
    "InstitutionSpec",
    "MembershipSpec",
    "TriggerSpec",
]


class TriggerSpec(Spec):
    """When an institution starts a campaign against a firm."""

    when: Literal["misconduct", "negative_share"] = Field(
        "misconduct",
        description="misconduct: share of members detecting an exposed misconduct event; "
        "negative_share: share of members with opinion < 0",
    )
    level: float = probability(0.05, "share of members that triggers a campaign, in [0, 1]")


class MembershipSpec(Spec):
    """Who the members are."""

    share: float = probability(0.1, "members as a share of all consumers, in [0, 1]")
    by: Literal["random", "community", "degree"] = Field(
        "random",
        description="random | community (a connected neighbourhood grown from a random "
        "consumer) | degree (best-connected consumers)",
    )


def _credibility(default: float) -> Any:
    return probability(
        default,
        "lowers members' boycott thresholds by this factor while campaigning, and scales "
        "its calls, in [0, 1]",
    )


def _reach(default: float) -> Any:
    return probability(default, "share of non-members a call reaches per step, in [0, 1]")


def _trigger(when: str, level: float) -> Any:
    return Field(
        default_factory=lambda: TriggerSpec(when=when, level=level),
        description="campaign trigger",
    )


class InstitutionBase(Spec):
    """What every institution has: members, credibility, reach, a trigger, campaigns.

    A section given in part (``trigger: {level: 0.2}``) keeps the kind's defaults for
    the fields left out.
    """

    name: str = Field(min_length=1, max_length=64, description="unique institution name")
    members: MembershipSpec = Field(default_factory=MembershipSpec, description="membership")
    call_strength: float = probability(
        0.1, "opinion step toward -1 of a reached consumer, times credibility, in [0, 1]"
    )
    campaign_steps: int = Field(10, ge=1, le=10_000, description="campaign length, steps, >= 1")
    founded: bool = Field(
        True, description="acts from step 1; false: only once an event founds it"
    )
    targets: list[str] | None = Field(
        None, description="names of firms it watches; default: all firms"
    )

    @model_validator(mode="before")
    @classmethod
    def _partial_sections(cls, data: Any) -> Any:
        """Overlay a partly given section on the kind's default section."""
        if not isinstance(data, Mapping):
            return data
        merged = dict(data)
        for name, info in cls.model_fields.items():
            given = data.get(name)
            if isinstance(given, Mapping) and info.default_factory is not None:
                default = info.default_factory()
                if isinstance(default, BaseModel):
                    merged[name] = {**default.model_dump(), **given}
        return merged


# --------------------------------------------------------------- consumer protection
class SanctionSpec(Spec):
    """Consumer protection's sanction of a firm whose misconduct became known."""

    fine_share: float = Field(
        0.04, ge=0.0, le=10.0,
        description="fine as a share of the firm's annual revenue (52 x its last weekly "
        "revenue), imposed when a campaign starts against a firm whose misconduct some "
        "consumers know of; 0: no fines, in [0, 10]",
    )  # fmt: skip
    oversight_steps: int = Field(
        26, ge=0, le=10_000,
        description="steps of stricter oversight after a sanction, >= 0; 0: none",
    )  # fmt: skip
    detection_boost: float = Field(
        2.0, ge=1.0, le=100.0,
        description="factor on the first-hand detection of every firm's misconduct "
        "during oversight, in [1, 100]; 1: oversight changes nothing",
    )  # fmt: skip


class ConsumerProtectionSpec(InstitutionBase):
    """Unions and politics as consumer protectors: campaigns backed by sanctions."""

    kind: Literal["consumer_protection"] = Field(description="the institution's kind")
    credibility: float = _credibility(0.8)
    reach: float = _reach(0.10)
    trigger: TriggerSpec = _trigger("misconduct", 0.05)
    sanction: SanctionSpec = Field(default_factory=SanctionSpec, description="sanctions")


# -------------------------------------------------------------------------- church
class AppealSpec(Spec):
    """A church's moral appeal: the level a ∈ [0, 1] that scales its pressure and calls."""

    build_steps: int = Field(
        8, ge=1, le=10_000,
        description="while campaigning a <- a + (1 - a) / build_steps, steps, >= 1; "
        "1: full strength at once",
    )  # fmt: skip
    half_life: float = Field(
        26.0, ge=0.0, le=10_000.0,
        description="after the campaign a halves every half_life steps (ends below 0.01), "
        ">= 0; 0: ends with the campaign",
    )  # fmt: skip


class ChurchSpec(InstitutionBase):
    """Churches speaking for the small man: a moral appeal that builds and lasts."""

    kind: Literal["church"] = Field(description="the institution's kind")
    credibility: float = _credibility(0.6)
    reach: float = _reach(0.02)
    trigger: TriggerSpec = _trigger("negative_share", 0.4)
    appeal: AppealSpec = Field(default_factory=AppealSpec, description="moral appeal")


# ---------------------------------------------------------------- citizen initiative
class PetitionSpec(Spec):
    """A citizen initiative's petition: signers boycott; a quorum escalates."""

    rate: float = probability(
        0.3, "per campaign step, chance that a member with a negative opinion signs (and "
        "boycotts at once), in [0, 1]"
    )
    quorum: float = probability(
        0.01, "signatures of one campaign, as a share of all consumers, at which the "
        "petition escalates, in [0, 1]; 1: never"
    )
    escalated_reach: float = probability(
        0.3, "reach of the calls once escalated (press and politics), in [0, 1]"
    )


class CitizenInitiativeSpec(InstitutionBase):
    """Citizen initiatives: local self-help groups with the right of petition."""

    kind: Literal["citizen_initiative"] = Field(description="the institution's kind")
    members: MembershipSpec = Field(
        default_factory=lambda: MembershipSpec(share=0.05, by="community"),
        description="membership",
    )
    credibility: float = _credibility(0.5)
    reach: float = _reach(0.05)
    trigger: TriggerSpec = _trigger("negative_share", 0.3)
    petition: PetitionSpec = Field(default_factory=PetitionSpec, description="petition")


# --------------------------------------------------------------- charity, foundation
class EndorsementSpec(Spec):
    """A charity's endorsement of the alternatives to the firm it campaigns against."""

    max_manipulation: float = probability(
        0.5, "endorses the firms with manipulation weight m <= this, in [0, 1]"
    )
    strength: float = probability(
        0.1, "opinion step toward +1 of a reached consumer, times credibility, per step "
        "of a campaign, in [0, 1]; 0: no endorsement"
    )


class CharityFoundationSpec(InstitutionBase):
    """Charities and foundations: an alternative market, endorsed outside the profit logic."""

    kind: Literal["charity_foundation"] = Field(description="the institution's kind")
    credibility: float = _credibility(0.7)
    reach: float = _reach(0.05)
    call_strength: float = probability(
        0.05, "opinion step toward -1 of a reached consumer, times credibility, in [0, 1]"
    )
    trigger: TriggerSpec = _trigger("misconduct", 0.1)
    endorsement: EndorsementSpec = Field(
        default_factory=EndorsementSpec, description="endorsement of alternatives"
    )


# ---------------------------------------------------------- professional association
class CodeSpec(Spec):
    """A professional association's code of conduct, its seal, and capture."""

    max_manipulation: float = probability(
        0.5, "the code: firms with manipulation weight m <= this keep it, in [0, 1]"
    )
    review_every: int = Field(
        13, ge=1, le=10_000, description="steps between reviews of the watched firms, >= 1"
    )
    capture: float = probability(
        0.3, "chance per review that the industry captures the association: it seals "
        "every firm and starts no campaign until the next review, in [0, 1]"
    )
    seal_strength: float = probability(
        0.1, "at each review, opinion step toward +1 of the sealed firms for members and "
        "reached consumers, times credibility, in [0, 1]; 0: the seal is not announced"
    )


class ProfessionalAssociationSpec(InstitutionBase):
    """Professional associations: codes of values, weak in marketing, open to capture."""

    kind: Literal["professional_association"] = Field(description="the institution's kind")
    credibility: float = _credibility(0.3)
    reach: float = _reach(0.02)
    trigger: TriggerSpec = _trigger("misconduct", 0.2)
    code: CodeSpec = Field(default_factory=CodeSpec, description="code of conduct")


_KINDS = (
    ConsumerProtectionSpec,
    ChurchSpec,
    CitizenInitiativeSpec,
    CharityFoundationSpec,
    ProfessionalAssociationSpec,
)
INSTITUTION_KINDS = tuple(typing.get_args(k.model_fields["kind"].annotation)[0] for k in _KINDS)
"""The five kinds, in the order the essays name them."""

SPEC_OF_KIND = dict(zip(INSTITUTION_KINDS, _KINDS, strict=True))
"""Kind name -> its section class."""

InstitutionSpec = Annotated[functools.reduce(operator.or_, _KINDS), Field(discriminator="kind")]
"""An institution of one of the five kinds (the ``kind`` field chooses its section)."""


class CallParams(NamedTuple):
    """One call: draw key (institution·64 + firm), reach in [0, 1], opinion step and target.

    Reached consumers move o ← o + step·(target − o); ``target`` is −1 (a call against
    the firm) or +1 (an endorsement or a seal).
    """

    key: int
    reach: float
    step: float
    target: float
