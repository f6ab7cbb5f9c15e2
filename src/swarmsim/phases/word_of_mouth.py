"""Phase 6 — word of mouth: speakers message neighbours; bad news travels further.

Speakers are consumers whose opinion moved by more than ε in this step's experience,
who detected misconduct, or who were moved by word of mouth in the previous step — so
news spreads as a cascade, one hop per step. A speaker's talk probability per edge is
p_talk × (maven factor) × (negativity bias λ if its opinion is negative), capped at 1.
"""

from __future__ import annotations

import numpy as np

from swarmsim.agents.consumers import MAVEN
from swarmsim.kernels import rng

NAME = "word_of_mouth"
STREAM = rng.stable_hash("phases.word_of_mouth")


def step(model, t: int) -> None:
    """Run one round of talk per firm on the opinions left by the earlier phases."""
    people, spec = model.consumers, model.spec
    wom = spec.word_of_mouth
    base = wom.p_talk * np.where(people.role == MAVEN, spec.consumers.maven_talk_factor, 1.0)
    new_opinion = np.empty(people.n)
    for firm in model.firms:
        f = firm.index
        opinion = np.ascontiguousarray(people.opinion[:, f])
        talk = np.minimum(1.0, base * np.where(opinion < 0.0, wom.negativity_bias, 1.0))
        heard = np.zeros(people.n, dtype=np.bool_)
        firm.messages = model.kernels.word_of_mouth(
            model.graph.indptr,
            model.graph.indices,
            np.ascontiguousarray(people.speaking[:, f]),
            opinion,
            talk,
            people.weight,
            people.peer_trust,
            model.seed,
            STREAM,
            t,
            f,
            wom.learning_rate,
            wom.speak_threshold,
            new_opinion,
            heard,
        )
        people.opinion[:, f] = new_opinion
        people.heard[:, f] = heard
