"""Threshold cascade, exactly: the boycott phase against a direct networkx implementation.

Special case (``scenarios/validation/threshold_exact.yaml``): the boycott phase alone,
opinions that never block joining or force leaving (``join_opinion = leave_opinion =
1``), random thresholds, alphas with influence weight 3 and a few seed boycotters. On
many small random graphs (sizes, mean degrees, seed counts and threshold ranges drawn
per case; isolated consumers included) the model's boycott set after every step must
*equal* that of the synchronous weighted threshold rule written directly on a
networkx graph:

    b_i(t+1) = b_i(t)  or  Σ_{j∈N(i)} w_j b_j(t) / Σ_{j∈N(i)} w_j >= θ_i.

Weights are small integers (1 and 3), so every sum is exact in floating point and the
two implementations must agree bit for bit, not within a tolerance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from swarmsim.model import SwarmModel
from swarmsim.validation.common import (
    CheckResult,
    Metric,
    case_uniforms,
    load_check_scenario,
    replicate_seed,
)

NAME = "threshold_exact"
SCENARIO = "threshold_exact.yaml"
TITLE = "Synchronous threshold cascade: model vs direct networkx rule (exact)"


@dataclass(frozen=True, slots=True)
class Design:
    """How many random cases, and the largest graph.

    Attributes
    ----------
    cases : int
        Random graphs (each with its own thresholds and seeds).
    max_n : int
        Consumers per graph are drawn in [2, max_n].
    """

    cases: int
    max_n: int = 40


QUICK = Design(cases=150)
FULL = Design(cases=2000)
DESIGNS = {"quick": QUICK, "full": FULL}


def case_overrides(seed: int, case: int, max_n: int) -> dict[str, object]:
    """Scenario overrides of one random case, drawn from counter-based uniforms."""
    u = case_uniforms(seed, NAME, case, 5)
    n = 2 + int(u[0] * (max_n - 1))
    low = 0.05 + 0.5 * u[3]
    return {
        "graph.n": n,
        "graph.mean_degree": round(min(6.0 * u[1], n - 1.0), 3),
        "seeding.boycotters": 1 + int(u[2] * min(3, n)),
        "consumers.threshold": {"kind": "uniform", "low": low, "high": low + (1 - low) * u[4]},
    }


def networkx_cascade(
    graph: nx.Graph, threshold: NDArray, weight: NDArray, seeds: set[int]
) -> list[set[int]]:
    """Run the synchronous weighted threshold rule on a networkx graph, round by round.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes 0..n−1.
    threshold : ndarray of float64, shape (n,)
        θ_i in (0, 1].
    weight : ndarray of float64, shape (n,)
        Influence weights w_j >= 1.
    seeds : set of int
        Boycotters at round 0.

    Returns
    -------
    list of set of int
        The boycotting set after rounds 0, 1, …; the last round changes nothing (its
        set equals the one before), so the list ends at the fixed point.
    """
    history = [set(seeds)]
    while len(history) < 2 or history[-1] != history[-2]:
        active = history[-1]
        joins = set()
        for i in graph.nodes:
            total = sum(weight[j] for j in graph[i])
            if i in active or total == 0:
                continue
            if sum(weight[j] for j in graph[i] if j in active) / total >= threshold[i]:
                joins.add(i)
        history.append(active | joins)
    return history


def compare_case(
    seed: int, case: int, design: Design, folder: Path | None
) -> tuple[int, int, bool]:
    """Run one case in both implementations; return (model size, networkx size, equal)."""
    spec = load_check_scenario(SCENARIO, folder, case_overrides(seed, case, design.max_n))
    model = SwarmModel(spec, seed=replicate_seed(seed, case))
    people = model.consumers
    graph = model.graph.to_networkx()
    seeds = set(np.flatnonzero(people.boycott[:, 0]).tolist())
    expected = networkx_cascade(graph, people.threshold, people.weight, seeds)
    equal = True
    for target in expected[1:]:
        model.step()
        equal &= set(np.flatnonzero(people.boycott[:, 0]).tolist()) == target
    return int(np.count_nonzero(people.boycott[:, 0])), len(expected[-1]), equal


def run(design: Design, *, seed: int = 0, folder: Path | None = None) -> CheckResult:
    """Run every case; the check passes when no round of any case differs."""
    start = time.perf_counter()
    outcomes = np.array([compare_case(seed, c, design, folder) for c in range(design.cases)])
    mismatches = int(np.count_nonzero(outcomes[:, 2] == 0))
    metrics = [
        Metric(
            f"cases whose boycott set differs in any round (of {design.cases})",
            mismatches,
            0,
            "exactly 0",
            mismatches == 0,
        )
    ]
    data = {"model_size": outcomes[:, 0], "networkx_size": outcomes[:, 1], "cases": design.cases}
    return CheckResult(NAME, TITLE, metrics, data, seconds=time.perf_counter() - start)


def plot(result: CheckResult, path: Path) -> None:
    """Plot the final cascade size in the model against networkx, one point per case."""
    import matplotlib.pyplot as plt

    d = result.data
    top = max(int(d["model_size"].max()), 1) + 1
    fig, ax = plt.subplots(figsize=(4.8, 4.4), layout="constrained")
    ax.plot([0, top], [0, top], color="0.7", lw=1)
    ax.plot(d["networkx_size"], d["model_size"], "o", ms=4, alpha=0.4, color="C0")
    mismatches = result.metrics[0].simulated
    ax.set(xlabel="final boycotters, networkx rule", ylabel="final boycotters, swarmsim",
           title=f"{d['cases']} random graphs: {mismatches:g} mismatches")  # fmt: skip
    fig.savefig(path, dpi=120)
    plt.close(fig)
