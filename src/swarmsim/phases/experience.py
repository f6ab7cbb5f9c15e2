"""Phase 4 — experience: buyers compare perceived with expected quality.

Inflated expectations (from persuasion) turn into disappointment and negative opinion,
as far as the buyer is competent enough to notice the shortfall.
Customer-centric practice (weights 1 - m) softens and builds: the firm answers a
complaint with probability d (damping the drop), invites a share of buyers to
co-create (loyalty rises; it never protects against a scandal), and educates its
buyers (competence rises). Loyalty grows with repeat purchases and decays otherwise.
Memory fades: every opinion first shrinks toward 0 by ``opinion_decay``.
Draws (per consumer i, firm f): quality noise ``normal(seed, QUALITY, t, i, f)``,
dialogue ``uniform(seed, DIALOGUE, t, i, f)``, co-creation
``uniform(seed, COCREATION, t, i, f)``.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng

NAME = "experience"
STREAM = rng.stable_hash("phases.experience")
QUALITY = rng.stable_hash("phases.experience.quality")
DIALOGUE = rng.stable_hash("phases.experience.dialogue")
COCREATION = rng.stable_hash("phases.experience.cocreation")


def step(model, t: int) -> None:
    """Update buyers' opinions, expectations, loyalty and competence, firm by firm."""
    people, spec = model.consumers, model.spec.experience
    people.opinion *= 1.0 - spec.opinion_decay
    for firm in model.firms:
        f = firm.index
        bought = people.purchase == f
        care = 1.0 - firm.manipulation
        buyers = np.flatnonzero(bought)
        noise = np.zeros(people.n)
        noise[buyers] = spec.quality_noise * rng.normal(model.seed, QUALITY, t, buyers, f)
        answered = np.zeros(people.n, dtype=np.bool_)
        answered[buyers] = (
            rng.uniform(model.seed, DIALOGUE, t, buyers, f) < firm.spec.dialogue * care
        )
        opinion = np.ascontiguousarray(people.opinion[:, f])
        expectation = np.ascontiguousarray(people.expectation[:, f])
        speaking = np.ascontiguousarray(people.speaking[:, f])
        model.kernels.experience(
            bought,
            people.competence,
            opinion,
            expectation,
            noise,
            answered,
            firm.quality,
            spec.opinion_rate,
            spec.expectation_rate,
            spec.dialogue_damping,
            model.spec.word_of_mouth.speak_threshold,
            speaking,
        )
        people.opinion[:, f] = opinion
        people.expectation[:, f] = expectation
        people.speaking[:, f] = speaking
        _loyalty_and_learning(model, firm, bought, buyers, care, t)


def _loyalty_and_learning(model, firm, bought, buyers, care: float, t: int) -> None:
    people, spec = model.consumers, model.spec.experience
    loyalty = people.loyalty[:, firm.index]
    loyalty[bought] += spec.loyalty_gain * (1.0 - loyalty[bought])
    loyalty[~bought] *= 1.0 - spec.loyalty_decay
    invited = buyers[
        rng.uniform(model.seed, COCREATION, t, buyers, firm.index) < firm.spec.cocreation * care
    ]
    loyalty[invited] += spec.cocreation_gain * (1.0 - loyalty[invited])
    people.competence[buyers] += firm.spec.education * care * (1.0 - people.competence[buyers])
