"""Phase 6 — word of mouth: speakers message neighbours; bad news travels further.

Speakers are consumers whose opinion moved by more than ε in this step's experience,
who detected misconduct, or who were moved by word of mouth in the previous step — so
news spreads as a cascade, one hop per step (``speakers: movers``, independent-cascade
like). Customers with a strong opinion of a firm, its promoters and saboteurs, also
speak up unprompted now and then (``advocacy``; the rule is
:func:`swarmsim.phases.word_of_mouth.reference.advocate`). With ``speakers:
opinionated`` every consumer whose |opinion| exceeds ε keeps talking every step
(imitation as in the Bass model). The talk rule is
:func:`swarmsim.phases.word_of_mouth.reference.word_of_mouth`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.word_of_mouth import compiled, reference
from swarmsim.phases.word_of_mouth.spec import AdvocacyParams, WordOfMouthParams
from swarmsim.state import StateArray

NAME = "word_of_mouth"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.word_of_mouth")
ADVOCACY_STREAM = rng.stable_hash("phases.word_of_mouth.advocacy")
WEEKS_PER_YEAR = 52

STATE = (
    StateArray(
        "speaking", np.bool_, "firm", False,
        "speaks about the firm in this step's word of mouth", start_of_step="heard",
    ),
    StateArray(
        "heard", np.bool_, "firm", False,
        "moved by word of mouth this step: speaks the next", start_of_step="clear",
    ),
)  # fmt: skip
"""Speakers of this step: last step's moved listeners, then whoever the earlier phases
of this step set speaking (buyers surprised by their experience, detectors)."""


def step(model, t: int) -> None:
    """Run one round of talk per firm on the opinions left by the earlier phases."""
    people, spec = model.consumers, model.spec.word_of_mouth
    params = WordOfMouthParams(
        spec.p_talk, spec.negativity_bias, spec.learning_rate, spec.speak_threshold,
        spec.news_shock, model.spec.advertising.trust_loss,
    )  # fmt: skip
    if spec.speakers == "opinionated":
        people.speaking |= np.abs(people.opinion) > spec.speak_threshold
    trend = model.spec.consumers.peer_trust_trend
    if trend:
        np.clip(people.peer_trust + trend / WEEKS_PER_YEAR, 0.0, 1.0, out=people.peer_trust)
    graph, kernels = model.graph, KERNELS[model.backend]
    advocacy = AdvocacyParams(spec.advocacy_opinion, spec.advocacy)
    for firm in model.firms:
        promoters, saboteurs = kernels.advocate(
            people.opinion, people.loyalty, model.seed, ADVOCACY_STREAM, t, firm.index,
            advocacy, people.speaking,
        )  # fmt: skip
        firm.promoters, firm.saboteurs = promoters / people.n, saboteurs / people.n
        # Only those aware of a misconduct spread its news, and the first became aware in
        # the exposure phase, which switched the firm's trust recovery on (lose_trust).
        firm.messages = kernels.word_of_mouth(
            graph.indptr, graph.indices, people.speaking, people.opinion,
            model.talk_factor, people.weight, people.peer_trust, model.seed, STREAM, t,
            firm.index, params, people.heard, people.aware, people.firm_trust,
        )  # fmt: skip
