"""Phase 8 — boycott: complex contagion with institutional pressure and hysteresis.

Consumer i joins a boycott of firm f when its opinion is at most ``join_opinion`` and
the influence-weighted share of its neighbours boycotting f reaches θ_i (1 − pressure);
it leaves when its opinion exceeds ``leave_opinion``. One synchronous round per step
(double-buffered), so the result does not depend on consumer order.
"""

from __future__ import annotations

import numpy as np

from swarmsim.kernels import rng

NAME = "boycott"
STREAM = rng.stable_hash("phases.boycott")


def step(model, t: int) -> None:
    """Update every firm's boycott column from the state after the institutions phase."""
    people, spec = model.consumers, model.spec.boycott
    out = np.empty(people.n, dtype=np.bool_)
    for firm in model.firms:
        f = firm.index
        before = np.ascontiguousarray(people.boycott[:, f])
        model.kernels.boycott_update(
            model.graph.indptr,
            model.graph.indices,
            before,
            np.ascontiguousarray(people.opinion[:, f]),
            people.weight,
            model.neighbour_weight,
            people.threshold,
            np.ascontiguousarray(people.pressure[:, f]),
            spec.join_opinion,
            spec.leave_opinion,
            out,
        )
        firm.boycott_joins = int(np.count_nonzero(out & ~before))
        people.boycott[:, f] = out
