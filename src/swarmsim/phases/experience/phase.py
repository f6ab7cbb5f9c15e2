"""Phase 4 — experience: buyers compare perceived with expected quality.

Inflated expectations (from persuasion) turn into disappointment and negative opinion,
as far as the buyer is competent enough to notice the shortfall. Customer-centric
practice (weights 1 − m) softens and builds: the firm answers a complaint with
probability d (damping the drop), invites a share of buyers to co-create (loyalty
rises; it never protects against a scandal), and educates its buyers (competence
rises). Loyalty grows with repeat purchases and decays otherwise. Memory fades: every
opinion first shrinks toward 0 by ``opinion_decay`` (in the kernel's pass over the
firm's column, which spares a pass over every opinion). The rule is
:func:`swarmsim.phases.experience.reference.experience`.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.experience import compiled, reference
from swarmsim.phases.experience.spec import ExperienceParams
from swarmsim.state import StateArray

NAME = "experience"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.experience")

STATE = (StateArray("loyalty", np.float64, "firm", 0.0, "loyalty ℓ to each firm, in [0, 1]"),)
"""Loyalty, which purchase weighs."""


def step(model, t: int) -> None:
    """Fade opinions, then update buyers' beliefs, loyalty and competence, firm by firm."""
    people, spec = model.consumers, model.spec.experience
    for firm in model.firms:
        care = 1.0 - firm.manipulation
        params = ExperienceParams(
            opinion_decay=spec.opinion_decay,
            quality=firm.quality,
            quality_noise=spec.quality_noise,
            opinion_rate=spec.opinion_rate,
            expectation_rate=spec.expectation_rate,
            dialogue=firm.dialogue,
            dialogue_damping=spec.dialogue_damping,
            speak_threshold=model.spec.word_of_mouth.speak_threshold,
            loyalty_gain=spec.loyalty_gain,
            loyalty_decay=spec.loyalty_decay,
            cocreation=firm.spec.cocreation * care,
            cocreation_gain=spec.cocreation_gain,
            education=firm.spec.education * care,
            disappointment_distrust=spec.disappointment_distrust,
        )
        firm.trust_lost |= spec.disappointment_distrust > 0.0
        KERNELS[model.backend].experience(
            people.purchase, people.competence, people.opinion, people.expectation,
            people.loyalty, people.firm_trust, people.speaking, model.seed, STREAM, t,
            firm.index, params,
        )  # fmt: skip
