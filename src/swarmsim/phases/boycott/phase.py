"""Phase 8 — boycott: complex contagion with institutional pressure and hysteresis.

Consumer i joins a boycott of firm f when its opinion is at most ``join_opinion`` and
the influence-weighted share of its neighbours boycotting f reaches θ_i (1 − pressure);
it leaves when its opinion exceeds ``leave_opinion``. One synchronous round per step
(double-buffered), so the result does not depend on consumer order. The rule is
:func:`swarmsim.phases.boycott.reference.boycott_update`; the phase calls its cached form,
which keeps every consumer's boycotting-neighbour weight between steps so that the
compiled backend re-sums only the neighbourhoods of consumers who joined or left
(whoever changed their state: this phase, petitions or the initial seeding).
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng
from swarmsim.phases.boycott import compiled, reference
from swarmsim.phases.boycott.spec import BoycottParams
from swarmsim.state import StateArray

NAME = "boycott"
KERNELS = {"numpy": reference, "numba": compiled}
"""The rule's NumPy reference and its Numba twin, by the model's backend."""

STREAM = rng.stable_hash("phases.boycott")

STATE = (
    StateArray("boycott", np.bool_, "firm", False, "boycotting the firm"),
    StateArray(
        "gave_up", np.bool_, "firm", False,
        "tired of boycotting the firm; joins again only after detecting a new misconduct",
    ),
)  # fmt: skip
"""Who boycotts whom (purchase skips boycotted firms), and who has given a boycott up."""


def step(model, t: int) -> None:
    """Update every firm's boycott column from the state after the institutions phase."""
    people, spec = model.consumers, model.spec.boycott
    params = BoycottParams(spec.join_opinion, spec.leave_opinion, spec.fatigue)
    shape = people.boycott.shape
    columns = model.scratch("boycott.columns", shape, np.bool_)
    boycotting_weight = model.scratch("boycott.boycotting_weight", shape)  # kept across steps
    counted = model.scratch("boycott.counted", shape, np.bool_)  # the state it was counted for
    for firm in model.firms:
        firm.boycott_joins = KERNELS[model.backend].boycott_update_cached(
            model.graph.indptr, model.graph.indices, people.boycott, people.opinion,
            people.weight, model.neighbour_weight, people.threshold, people.pressure,
            people.gave_up, model.seed, STREAM, t, firm.index, params, boycotting_weight,
            counted, columns[:, firm.index],
        )  # fmt: skip
        column = people.boycott[:, firm.index]
        firm.boycott_leaves = int(np.count_nonzero(column & ~columns[:, firm.index]))
    np.copyto(people.boycott, columns)
