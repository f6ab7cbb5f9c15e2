"""What each institution kind does besides the shared campaign (docs/model.md §7.7).

The phase (:mod:`swarmsim.phases.institutions.phase`) runs every founded institution
through the same frame — review, trigger, campaign, pressure — and asks its kind's
:class:`Mechanism` at each point. The shared campaign lowers members' boycott
thresholds by credibility × level and calls members and reached non-members toward
−1; the kinds differ in:

- **consumer protection** sanctions a firm whose misconduct is known: a fine of
  ``fine_share`` of its annual revenue when a campaign starts, and stricter oversight
  that multiplies the first-hand detection of every firm's misconduct by
  ``detection_boost`` for ``oversight_steps``;
- **church**: the campaign's level builds as a ← a + (1 − a)/``build_steps`` and, after
  it, halves every ``half_life`` steps — slow and lasting;
- **citizen initiative**: members with a negative opinion sign a petition (and
  boycott); at ``quorum`` signatures the campaign escalates: its calls reach
  ``escalated_reach`` and it runs ``campaign_steps`` longer;
- **charity or foundation**: while it campaigns, it endorses the firms with
  m ≤ ``max_manipulation`` that it does not campaign against — a call toward +1;
- **professional association**: every ``review_every`` steps it seals the firms that
  keep its code (m ≤ ``max_manipulation``) and announces the seal; with probability
  ``capture`` the industry captures it for that period: it seals every firm and starts
  no campaign.

Draws: petition ``stream``, call ``stream + 1``, endorsement ``stream + 2``, seal
``stream + 3``, capture ``stream + 4``; keys institution·64 + firm.
"""

from __future__ import annotations

from swarmsim.kernels import rng
from swarmsim.phases.institutions import compiled, reference
from swarmsim.phases.institutions.spec import CallParams

__all__ = ["KERNELS", "MECHANISMS", "STREAM", "WEEKS_PER_YEAR", "Mechanism", "detection_boost"]

KERNELS = {"numpy": reference, "numba": compiled}
"""The rules' NumPy references and their Numba twins, by the model's backend."""

STREAM = rng.stable_hash("phases.institutions")

WEEKS_PER_YEAR = 52
"""Steps per year (1 step = 1 week): a fine is a share of the annual revenue."""

APPEAL_FLOOR = 0.01
"""A church's appeal below this level has ended (its pressure is set to 0)."""

PETITION, CALL, ENDORSEMENT, SEAL, CAPTURE = range(5)
"""Offsets from the phase's stream, one per kind of draw."""


class Mechanism:
    """The shared campaign; each kind overrides the points where it differs."""

    def review(self, model, inst, t: int) -> None:
        """Before the firms are visited, every step."""

    def may_campaign(self, inst) -> bool:
        """Whether a trigger may start a campaign now."""
        return True

    def start(self, model, inst, firm, t: int) -> None:
        """In the first step of a campaign against ``firm``, before it runs."""

    def level(self, inst, f: int, campaigning: bool) -> float:
        """Return the campaign's strength against firm ``f`` in this step, in [0, 1]."""
        return 1.0 if campaigning else 0.0

    def reach(self, inst, f: int) -> float:
        """Return the share of non-members the call against ``f`` reaches in this step."""
        return inst.spec.reach

    def campaign(self, model, inst, f: int, t: int) -> None:
        """One campaign step against firm ``f``: the call toward −1."""
        spec = inst.spec
        call(model, inst, f, t, CALL, self.reach(inst, f), spec.call_strength * inst.level[f], -1.0)

    def after(self, model, inst, t: int) -> None:
        """After the firms are visited, every step."""


def draw_key(inst, f: int) -> int:
    """Return the draws' second counter for institution ``inst`` and firm ``f``: inst·64 + f."""
    return inst.index * rng.FIRM_SLOTS + f


def call(model, inst, f: int, t: int, offset: int, reach: float, strength: float, target: float):
    """Move members, and non-members reached with probability ``reach``, toward ``target``.

    The opinion step is credibility × ``strength``; nothing happens when it is 0.
    """
    step = inst.spec.credibility * strength
    if step == 0.0:
        return
    people = model.consumers
    params = CallParams(key=draw_key(inst, f), reach=reach, step=step, target=target)
    KERNELS[model.backend].call(
        people.membership[:, inst.index], people.opinion, model.seed, STREAM + offset, t, f,
        params,
    )  # fmt: skip


class ConsumerProtection(Mechanism):
    """Fines and stricter oversight for a firm whose misconduct is known."""

    def start(self, model, inst, firm, t: int) -> None:
        f, sanction = firm.index, inst.spec.sanction
        if not model.consumers.aware[:, f].any():
            return  # no known misconduct, nothing to sanction
        fine = sanction.fine_share * WEEKS_PER_YEAR * firm.revenue
        firm.fines_due += fine
        inst.fines[f] += fine
        if sanction.oversight_steps:
            inst.oversight_until = max(inst.oversight_until, t + sanction.oversight_steps)


def detection_boost(model, t: int) -> float:
    """Factor on first-hand detection in step ``t``: the strongest oversight in force, or 1."""
    return max(
        (
            inst.spec.sanction.detection_boost
            for inst in model.institutions
            if inst.kind == "consumer_protection" and inst.oversight_until >= t
        ),
        default=1.0,
    )


class Church(Mechanism):
    """A moral appeal that builds over ``build_steps`` and fades with ``half_life``."""

    def level(self, inst, f: int, campaigning: bool) -> float:
        appeal, a = inst.spec.appeal, inst.level[f]
        if campaigning:
            return a + (1.0 - a) / appeal.build_steps
        if appeal.half_life == 0.0:
            return 0.0
        a *= 0.5 ** (1.0 / appeal.half_life)
        return a if a >= APPEAL_FLOOR else 0.0


class CitizenInitiative(Mechanism):
    """A petition whose quorum escalates the campaign."""

    def reach(self, inst, f: int) -> float:
        petition = inst.spec.petition
        return petition.escalated_reach if inst.escalated[f] else inst.spec.reach

    def campaign(self, model, inst, f: int, t: int) -> None:
        people, petition = model.consumers, inst.spec.petition
        signers = KERNELS[model.backend].petition(
            inst.members, people.opinion, people.boycott, model.seed, STREAM + PETITION, t, f,
            draw_key(inst, f), petition.rate,
        )  # fmt: skip
        inst.signatures[f] += signers
        inst.campaign_signatures[f] += signers
        if not inst.escalated[f] and inst.campaign_signatures[f] >= petition.quorum * people.n:
            inst.escalated[f] = True
            inst.remaining[f] += inst.spec.campaign_steps  # press and politics take it up
        super().campaign(model, inst, f, t)


class CharityFoundation(Mechanism):
    """While campaigning, it endorses the customer-centric alternatives."""

    def after(self, model, inst, t: int) -> None:
        inst.endorsing.fill(False)
        if not inst.active.any():
            return
        endorsement = inst.spec.endorsement
        for firm in model.firms:
            g = firm.index
            if not inst.active[g] and firm.manipulation <= endorsement.max_manipulation:
                inst.endorsing[g] = True
                call(model, inst, g, t, ENDORSEMENT, inst.spec.reach, endorsement.strength, 1.0)


class ProfessionalAssociation(Mechanism):
    """A code of conduct, a seal for the firms that keep it, and capture."""

    def review(self, model, inst, t: int) -> None:
        code = inst.spec.code
        if (t - 1) % code.review_every:
            return
        inst.captured = bool(
            rng.uniform(model.seed, STREAM + CAPTURE, t, inst.index, 0) < code.capture
        )
        for firm in model.firms:
            g = firm.index
            keeps = firm.manipulation <= code.max_manipulation
            inst.sealed[g] = inst.watches[g] and (inst.captured or keeps)
            if inst.sealed[g]:
                call(model, inst, g, t, SEAL, inst.spec.reach, code.seal_strength, 1.0)

    def may_campaign(self, inst) -> bool:
        return not inst.captured


MECHANISMS: dict[str, Mechanism] = {
    "consumer_protection": ConsumerProtection(),
    "church": Church(),
    "citizen_initiative": CitizenInitiative(),
    "charity_foundation": CharityFoundation(),
    "professional_association": ProfessionalAssociation(),
}
"""Each kind's mechanism, by kind name."""
